package io.github.mcppolicyproxy.aws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.mcppolicyproxy.policy.CommandInspector;
import io.github.mcppolicyproxy.policy.CommandInspector.Command;
import io.github.mcppolicyproxy.policy.CommandInspector.Facts;
import io.github.mcppolicyproxy.policy.CommandInspector.Inspection;
import io.github.mcppolicyproxy.policy.PolicyEngine;
import io.github.mcppolicyproxy.policy.PolicyLoader;
import io.github.mcppolicyproxy.policy.ToolCall;
import io.github.mcppolicyproxy.policy.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A command's facts (its parameters, region and profile as predicates see them) are made only when
 * an entry with predicates needs them: the real AWS inspector behind the real engine, with a wrapper
 * that counts how often each command's facts are made.
 */
class LazyFactsTest {
  private static final String POLICY = """
      {"version": "1", "default": "deny",
       "tools": {"call_aws": {}},
       "operations": {
         "*:Describe*": {},
         "omics:StartReadSetExportJob": {"deny_if": [
           {"path": "params.destination", "op": "regex", "value": "(?!s3://genomics-exports/).*"}]}
       }}""";

  private final AtomicInteger made = new AtomicInteger();

  private final CommandInspector aws =
      new AwsCommandInspector(AwsDefaults.none());

  /** The AWS inspector, each command's facts counted when they are made. */
  private final CommandInspector counting = call -> {
    Inspection found = aws.inspect(call);
    if (!(found instanceof Inspection.Commands c)) {
      return found;
    }
    List<Command> counted = new ArrayList<>();
    for (Command command : c.commands()) {
      counted.add(new Command(command.text(), command.operations(), new Facts(() -> {
        made.incrementAndGet();
        return command.facts();
      })));
    }
    return new Inspection.Commands(counted);
  };

  private Verdict decide(String... commands) throws Exception {
    PolicyEngine engine = new PolicyEngine(new PolicyLoader().parse("lazy.json",
        POLICY.getBytes(UTF_8)), counting);
    var array = JsonNodeFactory.instance.arrayNode();
    for (String c : commands) {
      array.add(c);
    }
    return engine.decide(new ToolCall("call_aws",
        JsonNodeFactory.instance.objectNode().set("cli_command", array)));
  }

  @Test
  void commandsWhoseRulesHaveNoPredicatesNeverMakeFacts() throws Exception {
    Verdict v = decide("aws ec2 describe-instances --region us-west-2",
        "aws rds describe-db-instances --region eu-west-1");
    assertThat(v).isInstanceOf(Verdict.Allow.class);
    assertThat(made).hasValue(0);
  }

  @Test
  void aCommandWhoseRuleHasPredicatesMakesItsFactsOnceAndIsJudgedByThem() throws Exception {
    String export = "aws omics start-read-set-export-job --sequence-store-id 1"
        + " --role-arn arn:aws:iam::1:role/r --sources readSetId=rs-1 --region us-east-1";
    assertThat(decide("aws ec2 describe-instances", export
        + " --destination s3://genomics-exports/run/")).isInstanceOf(Verdict.Allow.class);
    assertThat(made).as("only the export command's facts").hasValue(1);

    made.set(0);
    Verdict refused = decide(export + " --destination s3://elsewhere/run/");
    assertThat(refused).isInstanceOf(Verdict.Refuse.class);
    assertThat(((Verdict.Refuse) refused).refusal().agentText()).contains("destination");
    assertThat(made).hasValue(1);
  }

  @Test
  void factsAreMadeOnceAndKept() {
    AtomicInteger calls = new AtomicInteger();
    Facts facts = new Facts(() -> {
      calls.incrementAndGet();
      return JsonNodeFactory.instance.objectNode().put("region", "us-east-1");
    });
    assertThat(calls).hasValue(0);
    assertThat(facts.get()).isSameAs(facts.get());
    assertThat(calls).hasValue(1);
  }
}
