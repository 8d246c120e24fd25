package io.github.mcppolicyproxy.aws;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the AWS CLI would run for one {@code cli_command}.
 *
 * <p>Parameter values are kept literally: a value the CLI would load from a file
 * ({@code file://}, {@code fileb://}) is the string {@code file://...}, not the file's content.
 * Parameters are keyed by their full CLI names, as the CLI's argparse resolved them: an
 * abbreviation ({@code --dest}) is its option ({@code destination}), the last of repeated options
 * wins, {@code --no-x} after {@code --x} removes {@code x}. {@code --cli-input-json} is a parameter
 * like any other: the server never sends what it holds.
 *
 * @param cliService          service as typed, e.g. {@code s3api}, {@code s3}, {@code configservice}
 * @param cliOperation        operation as typed, e.g. {@code start-read-set-export-job}, {@code cp};
 *                            for nested commands both words, e.g. {@code generate product}
 * @param operations          at least one; the API operations this command performs
 * @param region              effective region: {@code --region}, else the region of an ARN argument
 *                            (as the upstream does), else the default; a few global services have a
 *                            fixed region
 * @param profile             effective profile: {@code --profile}, else the default
 * @param params              every parameter the operation runs with, by full CLI name without
 *                            dashes, values in order; flags map to an empty list
 * @param positionals         positional arguments ({@code s3 cp SRC DST}, a streaming outfile)
 * @param globalOptions       names of global options seen, e.g. {@code region}, {@code endpoint-url},
 *                            {@code debug}; also {@code generate-cli-skeleton} when present
 * @param globalOptionValues  the value of each global option that takes one, e.g.
 *                            {@code endpoint-url -> http://127.0.0.1:18765}
 */
public record AwsCommand(
    String cliService,
    String cliOperation,
    List<AwsOperation> operations,
    Optional<String> region,
    Optional<String> profile,
    Map<String, List<String>> params,
    List<String> positionals,
    List<String> globalOptions,
    Map<String, String> globalOptionValues) {

  /** Validates presence and copies every collection into an unmodifiable one. */
  public AwsCommand {
    Objects.requireNonNull(cliService, "cliService");
    Objects.requireNonNull(cliOperation, "cliOperation");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(profile, "profile");
    operations = List.copyOf(Objects.requireNonNull(operations, "operations"));
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("a command performs at least one operation");
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : Objects.requireNonNull(params, "params").entrySet()) {
      copy.put(Objects.requireNonNull(e.getKey(), "param name"),
          List.copyOf(Objects.requireNonNull(e.getValue(), "param values")));
    }
    params = Collections.unmodifiableMap(copy);
    positionals = List.copyOf(Objects.requireNonNull(positionals, "positionals"));
    globalOptions = List.copyOf(Objects.requireNonNull(globalOptions, "globalOptions"));
    globalOptionValues = Collections.unmodifiableMap(
        new LinkedHashMap<>(Objects.requireNonNull(globalOptionValues, "globalOptionValues")));
  }

  /** The operation keys, e.g. {@code [s3:GetObject]}, in order. */
  public List<String> operationKeys() {
    if (operations.size() == 1) {
      return List.of(operations.get(0).key());
    }
    String[] keys = new String[operations.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = operations.get(i).key();
    }
    return List.of(keys);
  }

  /**
   * The values of the parameter {@code --name} (its full CLI name: the parser resolves the
   * abbreviations the CLI accepts, {@code --dest} is {@code destination}). Empty when the parameter
   * is absent or a flag.
   */
  public List<String> paramValues(String name) {
    Objects.requireNonNull(name, "name");
    return params.getOrDefault(name, List.of());
  }

  /** Whether {@code --name} (by its full CLI name) was given. */
  public boolean hasParam(String name) {
    Objects.requireNonNull(name, "name");
    return params.containsKey(name);
  }
}
