package dev.operatorsetup.testkit.kube;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Field paths as server-side apply tracks them (structured-merge-diff's FieldsV1): a path is a list
 * of parts {@code f:<field>}, {@code k:<key json>} (an element of an associative list) and {@code
 * v:<value json>} (an element of a set list). Scalars, atomic lists and empty maps are leaves.
 */
final class KubeFieldSets {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Numbers compare by value (1 equals 1.0), everything else structurally. */
  static final Comparator<JsonNode> SAME =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private KubeFieldSets() {}

  static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals(SAME, b);
  }

  /**
   * Returns the key fields of the list at {@code field} under {@code parent}: {@code null} if the
   * list is atomic, empty if it is a set, else the key field names.
   */
  static List<String> listKeys(boolean builtIn, List<String> parent, String field) {
    if (parent.size() == 1 && parent.get(0).equals("f:metadata")) {
      if (field.equals("finalizers")) {
        return List.of();
      }
      if (field.equals("ownerReferences")) {
        return List.of("uid");
      }
    }
    if (!builtIn) {
      return null;
    }
    return switch (field) {
      case "containers",
          "initContainers",
          "ephemeralContainers",
          "env",
          "volumes",
          "imagePullSecrets" ->
          List.of("name");
      case "volumeMounts" -> List.of("mountPath");
      case "conditions" -> List.of("type");
      default -> null;
    };
  }

  /** Returns every path the object sets, in document order. */
  static Set<List<String>> paths(ObjectNode object, boolean builtIn) {
    Set<List<String>> out = new LinkedHashSet<>();
    walkObject(object, List.of(), builtIn, out);
    return out;
  }

  private static void walkObject(
      ObjectNode node, List<String> path, boolean builtIn, Set<List<String>> out) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      List<String> p = plus(path, "f:" + e.getKey());
      if (v.isNull()) {
        continue;
      }
      if (v.isObject()) {
        if (v.isEmpty()) {
          out.add(p);
        } else {
          walkObject((ObjectNode) v, p, builtIn, out);
        }
      } else if (v.isArray()) {
        List<String> keys = listKeys(builtIn, path, e.getKey());
        if (keys == null || !keyed(v, keys)) {
          out.add(p);
        } else if (keys.isEmpty()) {
          for (JsonNode item : v) {
            out.add(plus(p, "v:" + item));
          }
        } else {
          for (JsonNode item : v) {
            List<String> element = plus(p, "k:" + key(item, keys));
            out.add(element);
            walkObject((ObjectNode) item, element, builtIn, out);
          }
        }
      } else {
        out.add(p);
      }
    }
  }

  private static boolean keyed(JsonNode list, List<String> keys) {
    for (JsonNode item : list) {
      if (keys.isEmpty()) {
        if (!item.isValueNode()) {
          return false;
        }
        continue;
      }
      if (!item.isObject()) {
        return false;
      }
      for (String k : keys) {
        if (!item.path(k).isValueNode()) {
          return false;
        }
      }
    }
    return true;
  }

  private static String key(JsonNode item, List<String> keys) {
    ObjectNode k = JsonNodeFactory.instance.objectNode();
    for (String f : keys) {
      k.set(f, item.get(f));
    }
    return k.toString();
  }

  static List<String> plus(List<String> path, String part) {
    List<String> p = new ArrayList<>(path.size() + 1);
    p.addAll(path);
    p.add(part);
    return List.copyOf(p);
  }

  /** Returns the node at the path, or null. */
  static JsonNode at(JsonNode root, List<String> path) {
    JsonNode cur = root;
    for (String part : path) {
      if (cur == null) {
        return null;
      }
      cur = child(cur, part);
    }
    return cur;
  }

  private static JsonNode child(JsonNode cur, String part) {
    String body = part.substring(2);
    if (part.startsWith("f:")) {
      return cur.isObject() ? cur.get(body) : null;
    }
    int i = indexOf(cur, part);
    return i < 0 ? null : cur.get(i);
  }

  /** Returns the index in the list of the element that a {@code k:} or {@code v:} part names. */
  static int indexOf(JsonNode list, String part) {
    if (!list.isArray()) {
      return -1;
    }
    JsonNode wanted = parse(part.substring(2));
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      if (part.startsWith("v:")) {
        if (same(item, wanted)) {
          return i;
        }
      } else if (item.isObject()) {
        boolean match = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = wanted.properties().iterator();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          match &= same(item.get(e.getKey()), e.getValue());
        }
        if (match) {
          return i;
        }
      }
    }
    return -1;
  }

  private static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("bad field path part " + json, e);
    }
  }

  /**
   * Removes what the path names and then every map or list that this left empty (as the real
   * server, which does not keep empty maps of removed fields).
   */
  static void remove(ObjectNode root, List<String> path) {
    if (path.isEmpty()) {
      return;
    }
    JsonNode parent = at(root, path.subList(0, path.size() - 1));
    if (parent == null) {
      return;
    }
    String last = path.get(path.size() - 1);
    if (last.startsWith("f:")) {
      if (parent.isObject()) {
        ((ObjectNode) parent).remove(last.substring(2));
      }
    } else {
      int i = indexOf(parent, last);
      if (i >= 0) {
        ((ArrayNode) parent).remove(i);
      }
    }
    for (int n = path.size() - 1; n >= 1; n--) {
      List<String> p = path.subList(0, n);
      if (p.equals(List.of("f:metadata"))) {
        break;
      }
      JsonNode node = at(root, p);
      if (node == null
          || !node.isContainerNode()
          || !node.isEmpty()
          || !p.get(n - 1).startsWith("f:")) {
        break;
      }
      JsonNode grand = at(root, p.subList(0, n - 1));
      if (grand instanceof ObjectNode g) {
        g.remove(p.get(n - 1).substring(2));
      }
    }
  }

  /**
   * Merges {@code applied} into {@code target} as apply does: maps field by field, associative
   * lists element by element, set lists as a union, anything else replaced.
   */
  static void merge(ObjectNode target, ObjectNode applied, List<String> path, boolean builtIn) {
    for (Iterator<Map.Entry<String, JsonNode>> it = applied.properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String f = e.getKey();
      JsonNode av = e.getValue();
      JsonNode tv = target.get(f);
      List<String> p = plus(path, "f:" + f);
      if (av.isNull()) {
        continue;
      }
      if (av.isObject() && tv != null && tv.isObject()) {
        merge((ObjectNode) tv, (ObjectNode) av, p, builtIn);
        continue;
      }
      List<String> keys = av.isArray() ? listKeys(builtIn, path, f) : null;
      if (keys != null && tv != null && tv.isArray() && keyed(av, keys) && keyed(tv, keys)) {
        ArrayNode list = (ArrayNode) tv;
        for (JsonNode item : av) {
          if (keys.isEmpty()) {
            if (indexOf(list, "v:" + item) < 0) {
              list.add(item.deepCopy());
            }
            continue;
          }
          int i = indexOf(list, "k:" + key(item, keys));
          if (i < 0) {
            list.add(item.deepCopy());
          } else {
            merge(
                (ObjectNode) list.get(i),
                (ObjectNode) item,
                plus(p, "k:" + key(item, keys)),
                builtIn);
          }
        }
        continue;
      }
      target.set(f, av.deepCopy());
    }
  }

  /**
   * Renders a path for people, as the real server does: {@code .spec.containers[name="x"].image}.
   */
  static String display(List<String> path) {
    StringBuilder b = new StringBuilder();
    for (String part : path) {
      String body = part.substring(2);
      if (part.startsWith("f:")) {
        b.append('.').append(body);
      } else if (part.startsWith("v:")) {
        b.append("[=").append(body).append(']');
      } else {
        JsonNode k = parse(body);
        List<String> kv = new ArrayList<>();
        k.properties().forEach(e -> kv.add(e.getKey() + "=" + e.getValue()));
        b.append('[').append(String.join(",", kv)).append(']');
      }
    }
    return b.toString();
  }

  /** Returns the FieldsV1 tree of a set of paths, as {@code metadata.managedFields} shows it. */
  static ObjectNode fieldsV1(Set<List<String>> paths) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    for (List<String> path : paths) {
      ObjectNode node = root;
      for (String part : path) {
        JsonNode c = node.get(part);
        node = c instanceof ObjectNode o ? o : node.putObject(part);
      }
      if (path.get(path.size() - 1).startsWith("k:")) {
        node.putObject(".");
      }
    }
    return root;
  }
}
