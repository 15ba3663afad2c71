package dev.operatorsetup.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The raw arguments before picocli reads them: where the command word is (it may follow options, as
 * in {@code --cluster c install}), and the few values an early error report needs.
 */
final class Arguments {
  private Arguments() {}

  /**
   * The index of the first argument that is neither an option nor an option's value, or -1.
   *
   * @param valued the options that take a value as the next argument
   */
  static int commandIndex(String[] args, Set<String> valued) {
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("-")) {
        return i;
      }
      if (valued.contains(args[i])) {
        i++;
      }
    }
    return -1;
  }

  /** The arguments with the one at {@code at}, the command word in lower case, first. */
  static String[] commandFirst(String[] args, int at, String command) {
    List<String> all = new ArrayList<>(List.of(args));
    all.remove(at);
    all.add(0, command);
    return all.toArray(String[]::new);
  }

  /** Whether the arguments ask for JSON, read or not (parsing may have stopped before). */
  static boolean requestsJson(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--output=json")
          || (args[i].equals("--output") && i + 1 < args.length && args[i + 1].equals("json"))) {
        return true;
      }
    }
    return false;
  }

  /** The value given to {@code option} as {@code --option value} or {@code --option=value}. */
  static String valueOf(String[] args, String option) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(option) && i + 1 < args.length) {
        return args[i + 1];
      }
      if (args[i].startsWith(option + "=")) {
        return args[i].substring(option.length() + 1);
      }
    }
    return null;
  }
}
