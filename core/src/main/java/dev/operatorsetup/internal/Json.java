package dev.operatorsetup.internal;

import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON comparisons. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Returns whether two JSON texts hold the same value (layout aside); URL-decodes IAM's form. */
  public static boolean sameJson(String a, String b) {
    try {
      return MAPPER.readTree(decode(a)).equals(MAPPER.readTree(decode(b)));
    } catch (Exception e) {
      return a.equals(b);
    }
  }

  private static String decode(String s) {
    String t = s.trim();
    return t.startsWith("%")
        ? java.net.URLDecoder.decode(t, java.nio.charset.StandardCharsets.UTF_8)
        : t;
  }
}
