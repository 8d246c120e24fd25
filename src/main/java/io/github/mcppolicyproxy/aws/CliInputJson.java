package io.github.mcppolicyproxy.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads an inline {@code --cli-input-json} value into parameters.
 *
 * <p>The JSON's top-level keys are API member names ({@code DestinationS3Uri}, {@code roleArn});
 * the CLI names the same parameters with botocore's {@code xform_name}, so each key is stored under
 * its CLI name ({@code destination-s3-uri}, {@code role-arn}) and, when that differs, also as
 * written. A string value is kept as is, an array of scalars becomes one value per element, and
 * anything else is kept as compact JSON. The only non-JDK code the parser uses is Jackson (already
 * a dependency of the project), for a strict reading with duplicate keys refused.
 */
final class CliInputJson {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  /** API member names are ASCII letters and digits (botocore models); anything else is refused. */
  private static final Pattern MEMBER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private CliInputJson() {
  }

  /**
   * The parameters an inline JSON object supplies, keyed by CLI name (and by the key as written).
   *
   * @throws UnparseableCommandException when the value is not one JSON object, or two keys name
   *                                     the same parameter
   */
  static Map<String, List<String>> parameters(String json) throws UnparseableCommandException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UnparseableCommandException("--cli-input-json is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new UnparseableCommandException("--cli-input-json must be a JSON object");
    }
    Map<String, List<String>> params = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String key = field.getKey();
      if (!MEMBER_NAME.matcher(key).matches()) {
        throw new UnparseableCommandException("--cli-input-json key \"" + key + "\" is not a parameter name");
      }
      String cli = OperationNames.cliName(key);
      String earlier = origin.putIfAbsent(cli, key);
      if (earlier != null) {
        throw new UnparseableCommandException("--cli-input-json keys \"" + earlier + "\" and \"" + key
            + "\" both name the parameter --" + cli);
      }
      List<String> values = values(field.getValue());
      params.put(cli, values);
      if (!cli.equals(key)) {
        params.putIfAbsent(key, values);
      }
    }
    return params;
  }

  private static List<String> values(JsonNode node) {
    if (node.isTextual()) {
      return List.of(node.textValue());
    }
    if (node.isArray() && allScalars(node)) {
      List<String> values = new ArrayList<>();
      node.forEach(element -> values.add(element.isTextual() ? element.textValue() : element.toString()));
      return values;
    }
    return List.of(node.toString());
  }

  private static boolean allScalars(JsonNode array) {
    for (JsonNode element : array) {
      if (element.isContainerNode()) {
        return false;
      }
    }
    return true;
  }
}
