package dev.operatorsetup.internal.chart;

import dev.operatorsetup.InvalidConfigurationException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a chart archive ({@code .tgz}, as {@code helm package} writes it) safely: regular files
 * and directories only (links, devices and fifos are refused), no absolute paths and no {@code ..},
 * every entry under one top folder (the chart), at most {@link #MAX_ENTRIES} entries and {@link
 * #MAX_TOTAL} bytes unpacked, no duplicate files. Reads ustar, PAX ({@code path}, {@code size}) and
 * GNU long names.
 */
public final class ChartArchive {
  /** The most entries accepted. */
  static final int MAX_ENTRIES = 10_000;

  /** The most bytes accepted, all files unpacked (Helm's own limit is 100 MiB). */
  static final long MAX_TOTAL = 64L * 1024 * 1024;

  private static final int BLOCK = 512;
  private static final String FIX =
      "pass a chart archive made by 'helm package', or the chart's directory";

  private final String origin;
  private final InputStream in;
  private final Path into;
  private long total;
  private int entries;
  private String top;

  private ChartArchive(String origin, InputStream in, Path into) {
    this.origin = origin;
    this.in = in;
    this.into = into;
  }

  /**
   * Extracts the gzip-compressed tar {@code gz} into the empty directory {@code into} and returns
   * the chart's directory (the archive's top folder).
   *
   * @throws InvalidConfigurationException with field {@code chart} if the archive is malformed or
   *     breaks a rule above
   */
  public static Path extract(String origin, InputStream gz, Path into) {
    try (InputStream tar = new GZIPInputStream(gz, 64 * 1024)) {
      ChartArchive archive = new ChartArchive(origin, tar, into);
      archive.readAll();
      if (archive.top == null) {
        throw invalid(origin, "the archive holds no files");
      }
      return into.resolve(archive.top);
    } catch (IOException e) {
      throw invalid(origin, "it is not a readable .tgz archive (" + e.getMessage() + ")");
    }
  }

  private void readAll() throws IOException {
    String longName = null;
    String paxPath = null;
    long paxSize = -1;
    byte[] header = new byte[BLOCK];
    while (readBlock(header)) {
      if (isZero(header)) {
        return;
      }
      if (++entries > MAX_ENTRIES) {
        throw invalid(origin, "the archive has more than " + MAX_ENTRIES + " entries");
      }
      char type = (char) header[156];
      long size = paxSize >= 0 ? paxSize : octal(header, 124, 12);
      if (type == 'x' || type == 'L' || type == 'g') {
        byte[] data = readData(size, 1024 * 1024);
        if (type == 'L') {
          longName = cString(data, 0, data.length);
        } else if (type == 'x') {
          paxPath = pax(data, "path", paxPath);
          String s = pax(data, "size", null);
          paxSize = s == null ? -1 : parseSize(s);
        }
        continue;
      }
      String name = paxPath != null ? paxPath : longName != null ? longName : headerName(header);
      longName = null;
      paxPath = null;
      paxSize = -1;
      entry(type, name, size);
    }
  }

  private void entry(char type, String name, long size) throws IOException {
    String relative = checkName(name);
    Path target = into.resolve(relative).normalize();
    if (!target.startsWith(into) || target.equals(into)) {
      throw invalid(origin, "the entry '" + name + "' would be written outside the chart");
    }
    if (type == '5') {
      Files.createDirectories(target);
      skip(size);
    } else if (type == '0' || type == '\0' || type == '7') {
      total += size;
      if (total > MAX_TOTAL) {
        throw invalid(origin, "the archive unpacks to more than " + MAX_TOTAL + " bytes");
      }
      Files.createDirectories(target.getParent());
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
        copy(size, out);
      } catch (FileAlreadyExistsException e) {
        throw invalid(origin, "the entry '" + name + "' appears twice");
      }
    } else {
      throw invalid(
          origin,
          "the entry '"
              + name
              + "' is not a regular file or directory (tar type '"
              + type
              + "'); links and devices are refused");
    }
  }

  private String checkName(String name) {
    String n = name.startsWith("./") ? name.substring(2) : name;
    if (n.isEmpty() || n.startsWith("/") || n.contains("\\") || n.indexOf('\0') >= 0) {
      throw invalid(origin, "the entry '" + name + "' has an absolute or invalid path");
    }
    String[] parts = n.split("/");
    for (String part : parts) {
      if (part.equals("..")) {
        throw invalid(origin, "the entry '" + name + "' contains '..'");
      }
    }
    if (top == null) {
      top = parts[0];
    } else if (!top.equals(parts[0])) {
      throw invalid(
          origin, "its entries are not all in one top folder ('" + top + "', '" + parts[0] + "')");
    }
    return n;
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String pax(byte[] data, String key, String otherwise) {
    String text = new String(data, StandardCharsets.UTF_8);
    int i = 0;
    while (i < text.length()) {
      int space = text.indexOf(' ', i);
      int newline = text.indexOf('\n', i);
      if (space < 0 || newline < 0) {
        break;
      }
      String record = text.substring(space + 1, newline);
      if (record.startsWith(key + "=")) {
        return record.substring(key.length() + 1);
      }
      i = newline + 1;
    }
    return otherwise;
  }

  private long parseSize(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw invalid(origin, "an entry has an invalid size '" + s + "'");
    }
  }

  private long octal(byte[] h, int at, int length) {
    if ((h[at] & 0x80) != 0) {
      throw invalid(origin, "an entry is too large (base-256 size)");
    }
    String s = cString(h, at, length).trim();
    try {
      return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    } catch (NumberFormatException e) {
      throw invalid(origin, "it is not a tar archive (bad header)");
    }
  }

  private static String cString(byte[] b, int at, int length) {
    int end = at;
    while (end < at + length && b[end] != 0) {
      end++;
    }
    return new String(b, at, end - at, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private boolean readBlock(byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("truncated tar header");
    }
    return true;
  }

  private byte[] readData(long size, int max) throws IOException {
    if (size > max) {
      throw invalid(origin, "an extended header is larger than " + max + " bytes");
    }
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) {
      throw new EOFException("truncated tar entry");
    }
    skipPadding(size);
    return data;
  }

  private void copy(long size, OutputStream out) throws IOException {
    byte[] buffer = new byte[8192];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("truncated tar entry");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    skipPadding(size);
  }

  private void skip(long size) throws IOException {
    copy(size, OutputStream.nullOutputStream());
  }

  private void skipPadding(long size) throws IOException {
    long pad = (BLOCK - size % BLOCK) % BLOCK;
    in.skipNBytes(pad);
  }

  private static InvalidConfigurationException invalid(String origin, String rule) {
    return new InvalidConfigurationException("chart", origin, rule, FIX);
  }
}
