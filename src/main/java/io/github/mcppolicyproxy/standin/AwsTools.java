package io.github.mcppolicyproxy.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream's own tools: {@code call_aws}, {@code suggest_aws_commands},
 * {@code get_execution_plan} and the sibling server's {@code StartAHOReadSetExportJob}. Recorded
 * calls are replayed frame by frame; others are synthesized in the recordings' shapes.
 */
final class AwsTools {

  static final String HEALTHOMICS_TOOL = "StartAHOReadSetExportJob";
  private static final int MAX_BATCH_COMMANDS = 20;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Recordings recordings;
  private final ClientRequests clientRequests;
  private final StandInOptions options;
  private final String region;
  private final AtomicLong exportJobIds = new AtomicLong(4567890125L);

  AwsTools(Recordings recordings, ClientRequests clientRequests, StandInOptions options, String region) {
    this.recordings = Objects.requireNonNull(recordings, "recordings");
    this.clientRequests = Objects.requireNonNull(clientRequests, "clientRequests");
    this.options = Objects.requireNonNull(options, "options");
    this.region = Objects.requireNonNull(region, "region");
  }

  /** Answers a {@code tools/call} for one of these tools, or any unknown tool. */
  void call(Call call, String tool, JsonNode arguments) {
    List<Recordings.Exchange> recorded = recordings.find(options.scenario(), tool, arguments);
    if (!recorded.isEmpty() && (!tool.equals("get_execution_plan") || options.experimentalAgentScripts())) {
      replay(call, recorded);
      return;
    }
    switch (tool) {
      case "call_aws" -> callAws(call, arguments);
      case "suggest_aws_commands" -> suggest(call, arguments);
      case "get_execution_plan" -> {
        if (options.experimentalAgentScripts()) {
          call.result(AwsReplies.toolError("Error calling tool 'get_execution_plan': Error while retrieving "
              + "execution plan: Script " + arguments.path("script_name").asText() + " not found"));
        } else {
          call.result(unknownTool(tool));
        }
      }
      case HEALTHOMICS_TOOL -> {
        if (options.healthOmicsTool()) {
          startExportJob(call, arguments);
        } else {
          call.result(unknownTool(tool));
        }
      }
      default -> call.result(unknownTool(tool));
    }
  }

  static ObjectNode unknownTool(String tool) {
    return AwsReplies.toolError("Unknown tool: '" + tool + "'");
  }

  private void replay(Call call, List<Recordings.Exchange> variants) {
    List<Recordings.Frame> frames = variants.get(0).frames();
    for (int i = 1; i < frames.size() && !call.cancelled(); i++) {
      Recordings.Frame frame = frames.get(i);
      if (!frame.fromServer()) {
        continue; // the client's answers are awaited, not replayed
      }
      ObjectNode message = frame.message().deepCopy();
      if (message.has("method") && message.has("id")) {
        JsonNode answer = call.await(clientRequests.send(call, message));
        if (answer == null) {
          return;
        }
        String outcome = AwsReplies.consentOutcome(answer);
        int answerIndex = i + 1;
        Optional<Recordings.Exchange> variant = variants.stream()
            .filter(v -> outcome.equals(AwsReplies.consentOutcome(recordedAnswer(v, answerIndex))))
            .findFirst();
        if (variant.isEmpty()) {
          finishConsent(call, commands(call.params().path("arguments").path("cli_command")), outcome);
          return;
        }
        frames = variant.get().frames();
        i++; // skip the recorded answer
      } else if (message.has("method")) {
        call.send(message);
      } else {
        call.recordedResponse(message);
      }
    }
  }

  private static JsonNode recordedAnswer(Recordings.Exchange exchange, int index) {
    List<Recordings.Frame> frames = exchange.frames();
    return index < frames.size() && !frames.get(index).fromServer() ? frames.get(index).message() : null;
  }

  private void callAws(Call call, JsonNode arguments) {
    Optional<String> invalid = argumentError(arguments);
    if (invalid.isPresent()) {
      call.result(AwsReplies.toolError(invalid.get()));
      return;
    }
    List<String> commands = commands(arguments.get("cli_command"));
    if (commands.size() > MAX_BATCH_COMMANDS) {
      call.result(AwsReplies.toolError(
          "Error calling tool 'call_aws': Number of batch commands exceeds the maximum limit of 20."));
      return;
    }
    if (options.scenario().equals("mutation-consent") && commands.stream().anyMatch(this::mutates)) {
      ObjectNode request = AwsReplies.consentRequest(String.join(" ", commands));
      JsonNode answer = call.await(clientRequests.send(call, request));
      if (answer == null) {
        return;
      }
      String outcome = AwsReplies.consentOutcome(answer);
      if (!outcome.equals("accept")) {
        finishConsent(call, commands, outcome);
        return;
      }
    }
    ArrayNode results = NODES.arrayNode();
    for (String command : commands) {
      Optional<CliOperation> operation = CliOperation.of(command, region);
      if (operation.isEmpty()) {
        String error = AwsReplies.invalidCommand(command);
        call.send(AwsReplies.logError(error));
        call.send(AwsReplies.logError(error));
        results.add(AwsReplies.failure(command, error));
      } else if (options.readOnlyListing() && !operation.get().isRead()) {
        call.send(AwsReplies.logError(AwsReplies.DENIED));
        call.send(AwsReplies.logError(AwsReplies.DENIED));
        results.add(AwsReplies.failure(command, AwsReplies.DENIED));
      } else {
        results.add(AwsReplies.success(command, operation.get(),
            CredentialAnswers.asJson(operation.get())));
      }
    }
    call.result(AwsReplies.wrapped(results));
  }

  private boolean mutates(String command) {
    return CliOperation.of(command, region).map(op -> !op.isRead()).orElse(false);
  }

  /** The recorded refusal after a declined or unsupported consent request. */
  private static void finishConsent(Call call, List<String> commands, String outcome) {
    String message = outcome.equals("error") ? AwsReplies.NO_ELICITATION : AwsReplies.REJECTED;
    call.send(AwsReplies.logError(message));
    if (!outcome.equals("error")) {
      call.send(AwsReplies.logError(message));
    }
    ArrayNode results = NODES.arrayNode();
    commands.forEach(command -> results.add(AwsReplies.failure(command, message)));
    call.result(AwsReplies.wrapped(results));
  }

  private static List<String> commands(JsonNode cliCommand) {
    List<String> commands = new ArrayList<>();
    if (cliCommand.isTextual()) {
      commands.add(cliCommand.asText());
    } else {
      cliCommand.forEach(c -> commands.add(c.asText()));
    }
    return commands;
  }

  /** pydantic's complaint about {@code call_aws} arguments, if any (shape of the recordings). */
  private static Optional<String> argumentError(JsonNode arguments) {
    Map<String, String[]> errors = new LinkedHashMap<>();
    JsonNode cli = arguments.get("cli_command");
    if (cli == null) {
      errors.put("cli_command", new String[] {"Missing required argument", "missing_argument",
          AwsReplies.pythonRepr(arguments), AwsReplies.pythonType(arguments)});
    } else if (!cli.isTextual() && !(cli.isArray() && allText(cli))) {
      String value = AwsReplies.pythonRepr(cli);
      String type = AwsReplies.pythonType(cli);
      errors.put("cli_command.str", new String[] {"Input should be a valid string", "string_type", value, type});
      if (cli.isArray()) {
        for (int i = 0; i < cli.size(); i++) {
          if (!cli.get(i).isTextual()) {
            errors.put("cli_command.list[str]." + i, new String[] {"Input should be a valid string",
                "string_type", AwsReplies.pythonRepr(cli.get(i)), AwsReplies.pythonType(cli.get(i))});
          }
        }
      } else {
        errors.put("cli_command.list[str]", new String[] {"Input should be a valid list", "list_type", value, type});
      }
    }
    JsonNode max = arguments.get("max_results");
    if (max != null && !max.isNull() && !max.isIntegralNumber()) {
      errors.put("max_results", new String[] {"Input should be a valid integer", "int_type",
          AwsReplies.pythonRepr(max), AwsReplies.pythonType(max)});
    }
    arguments.fieldNames().forEachRemaining(name -> {
      if (!name.equals("cli_command") && !name.equals("max_results")) {
        errors.put(name, new String[] {"Unexpected keyword argument", "unexpected_keyword_argument",
            AwsReplies.pythonRepr(arguments.get(name)), AwsReplies.pythonType(arguments.get(name))});
      }
    });
    return errors.isEmpty() ? Optional.empty() : Optional.of(AwsReplies.validationErrors("call_aws", errors));
  }

  private static boolean allText(JsonNode array) {
    for (JsonNode element : array) {
      if (!element.isTextual()) {
        return false;
      }
    }
    return true;
  }

  private static void suggest(Call call, JsonNode arguments) {
    JsonNode query = arguments.get("query");
    if (query == null || !query.isTextual()) {
      call.result(AwsReplies.toolError(AwsReplies.validationErrors("suggest_aws_commands",
          Map.of("query", new String[] {"Missing required argument", "missing_argument",
              AwsReplies.pythonRepr(arguments), AwsReplies.pythonType(arguments)}))));
      return;
    }
    if (query.asText().isBlank()) {
      call.send(AwsReplies.logError("Empty query provided"));
      call.result(AwsReplies.toolError("Error calling tool 'suggest_aws_commands': Empty query provided"));
      return;
    }
    ObjectNode suggestion = NODES.objectNode()
        .put("command", "aws sts get-caller-identity")
        .put("confidence", 0.42)
        .put("description", "Returns details about the IAM identity whose credentials call the operation.");
    suggestion.putArray("required_parameters");
    ObjectNode value = NODES.objectNode();
    value.putArray("suggestions").add(suggestion);
    call.result(AwsReplies.dictResult(value));
  }

  private void startExportJob(Call call, JsonNode arguments) {
    Map<String, String[]> errors = new LinkedHashMap<>();
    for (String name : List.of("sequence_store_id", "destination_s3_uri", "role_arn", "read_set_ids")) {
      if (!arguments.has(name)) {
        errors.put(name, new String[] {"Missing required argument", "missing_argument",
            AwsReplies.pythonRepr(arguments), AwsReplies.pythonType(arguments)});
      }
    }
    if (!errors.isEmpty()) {
      call.result(AwsReplies.toolError(AwsReplies.validationErrors(HEALTHOMICS_TOOL, errors)));
      return;
    }
    ObjectNode job = NODES.objectNode()
        .put("id", Long.toString(exportJobIds.getAndIncrement()))
        .put("sequenceStoreId", arguments.path("sequence_store_id").asText())
        .put("destination", arguments.path("destination_s3_uri").asText())
        .put("status", "SUBMITTED")
        .put("creationTime", "2026-08-21T09:00:00+00:00");
    call.result(AwsReplies.dictResult(job));
  }
}
