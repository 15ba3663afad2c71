package dev.operatorsetup.internal.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.operatorsetup.InvalidConfigurationException;
import dev.operatorsetup.Loggers;
import dev.operatorsetup.model.KubeObject;
import dev.operatorsetup.model.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and writes multi-document Kubernetes YAML, safely.
 *
 * <p>Reading refuses, before or while parsing: more than {@link #MAX_BYTES} bytes, nesting deeper
 * than {@link #MAX_DEPTH}, more than {@link #MAX_ALIASES} aliases or more than {@link #MAX_VALUES}
 * values after alias expansion (alias bombs), duplicate keys, merge keys ({@code <<}) and any tag
 * but the YAML core ones. It builds the tree itself from Jackson's token stream, so aliases of
 * mappings and lists are expanded (as kubectl does) under those bounds instead of being read as
 * their anchor's name, and no class is ever instantiated from the document. Jackson does not report
 * anchors on single values, so an alias of one is refused rather than misread.
 */
public final class ManifestYaml {
  /** The largest manifest accepted: 8 MiB. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  /** The deepest nesting of mappings and lists accepted; the installers nest 18 deep. */
  public static final int MAX_DEPTH = 128;

  /** The most aliases ({@code *name}) accepted in one manifest. */
  public static final int MAX_ALIASES = 50;

  /** The most values (scalars, mappings and lists) accepted in one manifest, aliases expanded. */
  public static final int MAX_VALUES = 1_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(Loggers.MANIFEST);
  private static final Set<String> CORE_TAGS =
      Set.of("str", "int", "float", "bool", "null", "map", "seq");
  private static final String CORE_TAG_PREFIX = "tag:yaml.org,2002:";
  private static final String FIX =
      "every document must be one Kubernetes object with apiVersion, kind and metadata.name;"
          + " fix the document or remove it";

  private static final YAMLFactory READ =
      YAMLFactory.builder()
          .loaderOptions(loaderOptions())
          // "key:" is null, as in kubectl; only a quoted '' is an empty string
          .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  // ours fires first and names the document; this one is a backstop
                  .maxNestingDepth(MAX_DEPTH + 2)
                  .maxStringLength(MAX_BYTES)
                  .maxNumberLength(1000)
                  .build())
          .build();

  private static final ObjectMapper WRITE =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              .enable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .stringQuotingChecker(new ConservativeQuoting())
              .build());

  private ManifestYaml() {}

  private static LoaderOptions loaderOptions() {
    // Jackson reads SnakeYAML's event stream; the code point limit applies there, the others are
    // set for any composer-level use and enforced again by Reader below.
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setProcessComments(false);
    options.setWrappedToRootException(true);
    return options;
  }

  /** Parses the manifest a source loaded, as {@link #parse}, and logs where from and what it is. */
  static Manifest load(String origin, byte[] bytes) {
    Manifest manifest = parse(origin, bytes);
    LOG.debug(
        "manifest loaded origin={} sha256={} objects={}",
        origin,
        manifest.sha256(),
        manifest.objects().size());
    return manifest;
  }

  /**
   * Parses a multi-document manifest. Empty documents are skipped.
   *
   * @param origin where the bytes came from, for messages and {@link Manifest#origin()}
   * @throws InvalidConfigurationException naming the origin and the document if the bytes are too
   *     large, not YAML, hostile, or a document is not a Kubernetes object
   */
  public static Manifest parse(String origin, byte[] bytes) {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(bytes, "bytes");
    if (bytes.length > MAX_BYTES) {
      throw tooLarge("manifest", origin, bytes.length + " bytes");
    }
    List<KubeObject> objects = new ArrayList<>();
    Reader reader = null;
    try (YAMLParser parser = READ.createParser(bytes)) {
      reader = new Reader(parser, origin);
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        reader.startDocument();
        JsonNode document = reader.value(token, 1);
        if (document.isNull()) {
          continue;
        }
        objects.add(reader.object(document));
      }
    } catch (StreamConstraintsException e) {
      throw reader == null
          ? syntax(origin, 0, e)
          : reader.invalid("exceeds a parser limit: " + oneLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw syntax(origin, reader == null ? 0 : reader.document, e);
    } catch (YAMLException e) {
      throw new InvalidConfigurationException(
          "manifest",
          origin,
          (reader == null ? "it" : "document " + reader.document)
              + " is not valid YAML: "
              + oneLine(e.getMessage()),
          FIX);
    } catch (IOException e) {
      throw new UncheckedIOException("reading from memory failed", e);
    }
    return new Manifest.Builder().origin(origin).sha256(Sha256.hex(bytes)).objects(objects).build();
  }

  /**
   * Returns the error for a manifest over {@link #MAX_BYTES}.
   *
   * @param size what is known of its size, e.g. {@code 9000000 bytes} or {@code more than 8388608
   *     bytes}
   */
  public static InvalidConfigurationException tooLarge(String field, String origin, String size) {
    return new InvalidConfigurationException(
        field,
        origin,
        "it has "
            + size
            + ", more than the limit of "
            + MAX_BYTES
            + " bytes (8 MiB), so it was refused without parsing it",
        "use the operator's installer (about 90 to 200 KB); split or trim the file");
  }

  private static InvalidConfigurationException syntax(
      String origin, int document, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where =
        (document > 0 ? "document " + document : "it")
            + (at != null && at.getLineNr() > 0 ? " (line " + at.getLineNr() + ")" : "");
    return new InvalidConfigurationException(
        "manifest", origin, where + " is not valid YAML: " + oneLine(e.getOriginalMessage()), FIX);
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    String flat = message.replaceAll("\\s+", " ").trim();
    return flat.length() <= 300 ? flat : flat.substring(0, 297) + "...";
  }

  /**
   * Writes objects as multi-document YAML, each document starting with {@code ---}. Strings that a
   * YAML 1.1 reader (kubectl) could take for another type are quoted, so the text parses back to
   * the same objects.
   */
  public static String toYaml(List<KubeObject> objects) {
    StringBuilder out = new StringBuilder();
    for (KubeObject object : objects) {
      try {
        out.append(WRITE.writeValueAsString(object.json()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serializes: " + object, e);
      }
    }
    return out.toString();
  }

  /** Builds trees from the token stream, enforcing the limits. */
  private static final class Reader {
    private final YAMLParser parser;
    private final String origin;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int document;
    private int documentLine;
    private int aliases;
    private long values;
    private int lastHeight;

    Reader(YAMLParser parser, String origin) {
      this.parser = parser;
      this.origin = origin;
    }

    void startDocument() {
      document++;
      documentLine = parser.currentTokenLocation().getLineNr();
      anchors.clear(); // anchors are scoped to their document
    }

    /** Reads the value whose first token is {@code token}, at nesting {@code depth} (root = 1). */
    JsonNode value(JsonToken token, int depth) throws IOException {
      String tag = coreTag();
      if (parser.isCurrentAlias()) {
        return alias(parser.getText(), depth);
      }
      String anchor = parser.getObjectId();
      long before = values;
      count(1);
      JsonNode node;
      int height = 0;
      switch (token) {
        case START_OBJECT -> {
          checkDepth(depth);
          ObjectNode object = JsonNodeFactory.instance.objectNode();
          while ((token = next()) != JsonToken.END_OBJECT) {
            String name = parser.currentName();
            if ("<<".equals(name)) {
              throw invalid(
                  "uses a YAML merge key (<<) at line " + line() + ", which is not supported");
            }
            if (object.has(name)) {
              throw invalid("has the key '" + name + "' twice in one mapping at line " + line());
            }
            object.set(name, value(next(), depth + 1));
            height = Math.max(height, lastHeight);
          }
          node = object;
          height++;
        }
        case START_ARRAY -> {
          checkDepth(depth);
          ArrayNode array = JsonNodeFactory.instance.arrayNode();
          while ((token = next()) != JsonToken.END_ARRAY) {
            array.add(value(token, depth + 1));
            height = Math.max(height, lastHeight);
          }
          node = array;
          height++;
        }
        case VALUE_STRING -> node = JsonNodeFactory.instance.textNode(parser.getText());
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> node = number(tag);
        case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> node = scalar(token, tag);
        default ->
            throw invalid(
                "has a value at line " + line() + " that is not plain YAML data (" + token + ")");
      }
      lastHeight = height;
      if (anchor != null) {
        anchors.put(anchor, new Anchored(node, values - before, height));
      }
      return node;
    }

    private JsonToken next() throws IOException {
      JsonToken token = parser.nextToken();
      if (token == null) {
        throw invalid("ends in the middle of a mapping or list");
      }
      return token;
    }

    private JsonNode number(String tag) throws IOException {
      if ("str".equals(tag)) {
        return JsonNodeFactory.instance.textNode(parser.getText());
      }
      return switch (parser.getNumberType()) {
        case INT -> JsonNodeFactory.instance.numberNode(parser.getIntValue());
        case LONG -> JsonNodeFactory.instance.numberNode(parser.getLongValue());
        case BIG_INTEGER -> JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
        case BIG_DECIMAL -> JsonNodeFactory.instance.numberNode(parser.getDecimalValue());
        default -> JsonNodeFactory.instance.numberNode(parser.getDoubleValue());
      };
    }

    private JsonNode scalar(JsonToken token, String tag) throws IOException {
      if ("str".equals(tag)) {
        return JsonNodeFactory.instance.textNode(parser.getText());
      }
      return switch (token) {
        case VALUE_TRUE -> JsonNodeFactory.instance.booleanNode(true);
        case VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(false);
        default -> JsonNodeFactory.instance.nullNode();
      };
    }

    private JsonNode alias(String name, int depth) {
      Anchored target = anchors.get(name);
      if (target == null) {
        throw invalid(
            "uses the alias *"
                + name
                + " at line "
                + line()
                + " but no complete mapping or list before it in the same document has the anchor &"
                + name
                + " (anchors on single values are not supported: write the value out)");
      }
      if (++aliases > MAX_ALIASES) {
        throw invalid(
            "uses more than "
                + MAX_ALIASES
                + " aliases (*name); that is how alias bombs (billion laughs) work, so it is"
                + " refused");
      }
      if (depth - 1 + target.height > MAX_DEPTH) {
        throw invalid(
            "nests deeper than " + MAX_DEPTH + " levels once the alias *" + name + " is expanded");
      }
      count(target.size);
      lastHeight = target.height;
      return target.node.deepCopy();
    }

    private void count(long n) {
      values += n;
      if (values > MAX_VALUES) {
        throw invalid(
            "has more than "
                + MAX_VALUES
                + " values once aliases are expanded (an alias bomb?), so it is refused");
      }
    }

    private void checkDepth(int depth) {
      if (depth > MAX_DEPTH) {
        throw invalid(
            "nests deeper than "
                + MAX_DEPTH
                + " levels (at line "
                + line()
                + "), so it is refused");
      }
    }

    private String coreTag() throws IOException {
      String tag = parser.getTypeId();
      if (tag == null) {
        return null;
      }
      String shortTag =
          tag.startsWith(CORE_TAG_PREFIX) ? tag.substring(CORE_TAG_PREFIX.length()) : tag;
      if (!CORE_TAGS.contains(shortTag)) {
        throw invalid(
            "uses the tag !"
                + tag
                + " at line "
                + line()
                + "; only plain YAML data is accepted (no custom tags or types)");
      }
      return shortTag;
    }

    KubeObject object(JsonNode document) {
      if (!document.isObject()) {
        throw invalid("is " + describe(document) + ", not a mapping");
      }
      if (!document.path("apiVersion").isTextual()
          || document.get("apiVersion").asText().isEmpty()) {
        throw invalid("has no apiVersion");
      }
      if (!document.path("kind").isTextual() || document.get("kind").asText().isEmpty()) {
        throw invalid("(apiVersion " + document.get("apiVersion").asText() + ") has no kind");
      }
      JsonNode name = document.path("metadata").path("name");
      if (!name.isTextual() || name.asText().isEmpty()) {
        throw invalid("(kind " + document.get("kind").asText() + ") has no metadata.name");
      }
      return KubeObject.of(document);
    }

    private static String describe(JsonNode node) {
      if (node.isArray()) {
        return "a list";
      }
      if (node.isTextual()) {
        return "a string";
      }
      if (node.isNumber()) {
        return "a number";
      }
      if (node.isBoolean()) {
        return "a boolean";
      }
      return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private int line() {
      return parser.currentTokenLocation().getLineNr();
    }

    InvalidConfigurationException invalid(String problem) {
      return new InvalidConfigurationException(
          "manifest",
          origin,
          "document " + document + " (starting at line " + documentLine + ") " + problem,
          FIX);
    }
  }

  private record Anchored(JsonNode node, long size, int height) {}

  /**
   * Leaves a string unquoted only if no YAML 1.1 reader could take it for anything but that string:
   * it starts with a letter or '/', is printable ASCII, has no ": " or " #", does not end in ':' or
   * ' ', and is not a boolean or null word such as yes, on or null.
   */
  static final class ConservativeQuoting extends StringQuotingChecker {
    private static final long serialVersionUID = 1L;
    private static final Set<String> WORDS =
        Set.of("y", "yes", "n", "no", "true", "false", "on", "off", "null");

    @Override
    public boolean needToQuoteName(String name) {
      return needsQuotes(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
      return needsQuotes(value);
    }

    static boolean needsQuotes(String s) {
      if (s.isEmpty()) {
        return true;
      }
      char first = s.charAt(0);
      if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z' || first == '/')) {
        return true;
      }
      char last = s.charAt(s.length() - 1);
      if (last == ' ' || last == ':') {
        return true;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c < 0x20 || c > 0x7e) {
          return true;
        }
      }
      return s.contains(": ") || s.contains(" #") || WORDS.contains(s.toLowerCase(Locale.ROOT));
    }
  }
}
