package io.github.mcppolicyproxy.integrity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials in free text (a tool's text content, an AWS CLI text or table output, a
 * credentials file): PEM private key blocks, AWS session tokens and ECR tokens by their fixed
 * prefixes, values assigned to secret names ({@code aws_secret_access_key = ...},
 * {@code "SessionToken": "..."}, {@code password: ...}), and 40-character secret access keys in a
 * text that also holds an access key id. Base64 is not decoded: only the encodings of ECR tokens
 * are recognised by their prefixes. Stateless and thread-safe.
 */
final class SecretText {
  /** What replaces every secret. */
  static final String MARKER = "[REDACTED by mcp-policy-proxy]";

  /** One stretch of text to replace. */
  record Span(int start, int end, String kind) {}

  private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----"
      + "[\\s\\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----|\\z)");
  private static final Pattern SESSION_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9/+])(?:IQoJb3JpZ2lu|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz)[A-Za-z0-9/+]{60,}={0,2}");
  private static final Pattern ECR_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9/+])(?:eyJwYXlsb2FkIjoi|QVdTOmV5SndZWGxzYjJGa)[A-Za-z0-9/+]{40,}={0,2}");
  private static final String NAME = "(?:aws[_-]?)?(?:secret[_-]?access[_-]?key|secret[_-]?key"
      + "|session[_-]?token|security[_-]?token)|[a-z_-]*passw(?:or)?d";
  private static final Pattern ASSIGNMENT = Pattern.compile("(?i)(?<![a-z0-9])(?:" + NAME
      + ")\\\\?[\"']?\\s*[:=]\\s*(?:\\\\?\"((?:[^\"\\\\]|\\\\[^\"])*)\\\\?\"|'([^']*)'|([^\\s\"',;}\\]]+))");
  private static final Pattern ACCESS_KEY_ID =
      Pattern.compile("(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])");
  private static final Pattern SECRET_KEY =
      Pattern.compile("(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])");

  private SecretText() {}

  /**
   * True for a member name whose value is a secret: names ending in secret access key, secret key,
   * session or security token, password or passwd, and {@code authorizationToken},
   * {@code privateKey}, {@code clientSecret}, compared without case, {@code _} and {@code -}.
   */
  static boolean isSecretName(String name) {
    if (name.length() < 6 || !Triggers.in(name)) {
      return false; // the common case, without allocating
    }
    String n = name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return n.endsWith("secretaccesskey") || n.endsWith("secretkey") || n.endsWith("sessiontoken")
        || n.endsWith("securitytoken") || n.endsWith("password") || n.endsWith("passwd")
        || n.equals("authorizationtoken") || n.equals("privatekey") || n.equals("clientsecret");
  }

  /** The stretches of {@code text} to replace, in order and not overlapping; empty if none. */
  static List<Span> find(String text) {
    List<Span> spans = new ArrayList<>();
    add(spans, PEM.matcher(text), 0, "pem_private_key");
    add(spans, SESSION_TOKEN.matcher(text), 0, "aws_session_token");
    add(spans, ECR_TOKEN.matcher(text), 0, "ecr_token");
    Matcher a = ASSIGNMENT.matcher(text);
    while (a.find()) {
      int g = a.group(1) != null ? 1 : a.group(2) != null ? 2 : 3;
      String v = a.group(g);
      if (!v.isEmpty() && !v.equals(MARKER) && !v.equals("null") && !v.equals("None")) {
        spans.add(new Span(a.start(g), a.end(g), "secret_assignment"));
      }
    }
    if (ACCESS_KEY_ID.matcher(text).find()) {
      Matcher k = SECRET_KEY.matcher(text);
      while (k.find()) {
        if (mixed(k.group())) {
          spans.add(new Span(k.start(), k.end(), "aws_secret_access_key"));
        }
      }
    }
    if (spans.size() < 2) {
      return spans;
    }
    spans.sort(Comparator.comparingInt(Span::start).thenComparing(s -> -s.end()));
    List<Span> merged = new ArrayList<>();
    for (Span s : spans) {
      Span last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && s.start() < last.end()) {
        if (s.end() > last.end()) {
          merged.set(merged.size() - 1, new Span(last.start(), s.end(), last.kind()));
        }
      } else {
        merged.add(s);
      }
    }
    return merged;
  }

  /** {@code text} with every span replaced by the marker. */
  static String replace(String text, List<Span> spans) {
    StringBuilder b = new StringBuilder(text.length());
    int at = 0;
    for (Span s : spans) {
      b.append(text, at, s.start()).append(MARKER);
      at = s.end();
    }
    return b.append(text, at, text.length()).toString();
  }

  private static void add(List<Span> spans, Matcher m, int group, String kind) {
    while (m.find()) {
      spans.add(new Span(m.start(group), m.end(group), kind));
    }
  }

  /** Random keys mix cases and digits; a hex digest, a word or a path segment seldom does. */
  private static boolean mixed(String s) {
    boolean upper = false;
    boolean lower = false;
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      upper |= c >= 'A' && c <= 'Z';
      lower |= c >= 'a' && c <= 'z';
      digit |= c >= '0' && c <= '9';
    }
    return upper && lower && digit;
  }
}
