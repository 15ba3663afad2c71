package dev.operatorsetup.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes JSON with two-space indentation and {@code "key": value}, as hand-written files do, and
 * reads the string-or-list values of policy documents.
 */
public final class JsonText {
  private JsonText() {}

  /** Returns the node as indented JSON followed by a newline. */
  public static String pretty(JsonNode node) {
    StringBuilder out = new StringBuilder();
    write(node, out, "");
    return out.append('\n').toString();
  }

  /**
   * Returns a value written either as one string or as a list of them (as policy documents write
   * actions, principals and condition values) as a list of texts; none for {@code null}.
   */
  public static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node != null) {
      (node.isArray() ? node : List.of(node)).forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  private static void write(JsonNode node, StringBuilder out, String indent) {
    String inner = indent + "  ";
    if (node.isObject()) {
      if (node.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.append(inner)
            .append(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()))
            .append(": ");
        write(e.getValue(), out, inner);
        out.append(it.hasNext() ? ",\n" : "\n");
      }
      out.append(indent).append('}');
    } else if (node.isArray()) {
      if (node.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < node.size(); i++) {
        out.append(inner);
        write(node.get(i), out, inner);
        out.append(i + 1 < node.size() ? ",\n" : "\n");
      }
      out.append(indent).append(']');
    } else {
      out.append(node.toString());
    }
  }
}
