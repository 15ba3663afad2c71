package dev.operatorsetup.helm;

import dev.operatorsetup.InvalidConfigurationException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a {@code --set} argument ({@code a=1,b.c=x\,y}) into key and literal value pairs for
 * helm-java. helm-java escapes every special character of a value before Helm's {@code strvals}
 * parses {@code key=value}, so a value must be passed unescaped: {@code x\,y} is passed as {@code
 * x,y}, which Helm then reads as the CLI reads {@code x\,y}. Keys are passed as written (Helm
 * parses their dots, {@code \.} and {@code [i]}). Types are inferred as {@code --set} does. List
 * values ({@code {a,b}}) are refused: write {@code key[0]=a,key[1]=b}.
 */
final class SetValues {
  private static final String FIX =
      "write KEY=VALUE as 'helm template --set' takes it: a comma separates assignments, \\, is a"
          + " comma inside a value, and a list is key[0]=a,key[1]=b";

  private SetValues() {}

  static List<Map.Entry<String, String>> parse(String set) {
    List<Map.Entry<String, String>> pairs = new ArrayList<>();
    int i = 0;
    while (i <= set.length()) {
      int eq = keyEnd(set, i);
      if (eq <= i) {
        throw invalid(set, "each assignment is KEY=VALUE with a non-empty key");
      }
      String key = set.substring(i, eq);
      StringBuilder value = new StringBuilder();
      int j = eq + 1;
      if (j < set.length() && set.charAt(j) == '{') {
        throw invalid(set, "list values {a,b} are not supported");
      }
      while (j < set.length() && set.charAt(j) != ',') {
        char c = set.charAt(j);
        if (c == '\\' && j + 1 < set.length()) {
          c = set.charAt(++j);
        }
        value.append(c);
        j++;
      }
      pairs.add(new SimpleImmutableEntry<>(key, value.toString()));
      if (j >= set.length()) {
        break;
      }
      i = j + 1;
    }
    return pairs;
  }

  /** Returns the index of the first unescaped '=' from {@code from}, or -1. */
  private static int keyEnd(String set, int from) {
    for (int k = from; k < set.length(); k++) {
      char c = set.charAt(k);
      if (c == '\\') {
        k++;
      } else if (c == '=') {
        return k;
      } else if (c == ',') {
        return -1;
      }
    }
    return -1;
  }

  private static InvalidConfigurationException invalid(String set, String rule) {
    return new InvalidConfigurationException("values", set, rule, FIX);
  }
}
