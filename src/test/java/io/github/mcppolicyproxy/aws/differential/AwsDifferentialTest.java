package io.github.mcppolicyproxy.aws.differential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mcppolicyproxy.aws.differential.Comparison.Outcome;
import io.github.mcppolicyproxy.aws.differential.HandCases.HandCase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The differential test of issue 8: the proxy's reading of {@code call_aws} commands against what
 * the AWS API MCP server runs for them (the oracle, {@code src/test/python/aws_oracle.py}: awscli
 * 1.x and botocore in-process, the server's rewrites restated, moto behind the customizations).
 *
 * <p>The bounded run takes {@code differential.count} generated commands (default 2500) with seed
 * {@code differential.seed} (default 8), stopping early after {@code differential.seconds} (default
 * 90); a long run: {@code -Ddifferential.count=100000 -Ddifferential.seconds=36000
 * -Ddifferential.seed=N}; {@code -Ddifferential.customPercent=100} draws every command from the
 * customization templates (default 18 %). Bypasses fail the test unless {@link KnownBypasses} tolerates them; the
 * report goes to {@code target/differential-report.json}. Without python3 and awscli the test is
 * skipped, or fails when the environment variable {@code CI} is {@code true}.
 */
class AwsDifferentialTest {

  private static final Path SCRIPT = Path.of("src/test/python/aws_oracle.py");
  private static final Path REPORT = Path.of("target/differential-report.json");
  private static final Duration PER_COMMAND = Duration.ofSeconds(90);
  private static final List<String> INTERESTING = List.of("s3api", "ec2", "iam", "sts", "omics", "rds", "eks",
      "ecr", "lambda", "dynamodb", "secretsmanager", "kms", "cloudformation", "accessanalyzer", "location",
      "keyspaces", "elbv2", "cloudwatch", "logs", "sns", "sqs", "configservice", "redshift-serverless",
      "lightsail", "organizations", "route53", "devicefarm", "ecr-public", "deploy", "emr", "sesv2", "mwaa",
      "stepfunctions", "opensearch", "s3control", "sso-admin", "marketplace-catalog", "ssm", "ecs", "cloudtrail",
      "codeartifact", "redshift", "cognito-identity", "sso", "glue", "athena");

  private static OracleProcess oracle;
  /** Further oracles for the generated run (differential.workers, default 2: this machine's cores). */
  private static final List<OracleProcess> helpers = new ArrayList<>();
  private static Comparison comparison;
  private static DifferentialReport report;
  private static KnownBypasses known;
  private static final ObjectNode RUN = new ObjectMapper().createObjectNode();

  @BeforeAll
  static void startOracle() throws IOException {
    Optional<String> missing = OracleProcess.unavailable();
    if (missing.isPresent()) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("the differential test needs python3 with awscli, botocore and moto (CI=true): " + missing.get());
      }
      Assumptions.abort("skipping the differential test: " + missing.get());
    }
    oracle = OracleProcess.start(SCRIPT, Path.of("target/differential-oracle.log"));
    for (int i = 1; i < Integer.getInteger("differential.workers", 2); i++) {
      helpers.add(OracleProcess.start(SCRIPT, Path.of("target/differential-oracle-" + i + ".log")));
    }
    comparison = new Comparison(OracleProcess.UPSTREAM_ENV);
    report = new DifferentialReport();
    known = KnownBypasses.load();
  }

  @AfterAll
  static void writeReport() throws IOException {
    if (oracle != null) {
      oracle.close();
    }
    helpers.forEach(OracleProcess::close);
    if (report != null) {
      RUN.put("knownBypasses", known == null ? "" : known.source());
      report.write(REPORT, RUN);
      System.out.println("differential: " + report.summaryLine() + " -> " + REPORT.toAbsolutePath());
    }
  }

  @Test
  void handMadeCasesOfEveryClassOfIssue8AgreeWithTheServer() {
    List<String> failures = new ArrayList<>();
    for (HandCase c : HandCases.all()) {
      JsonNode answer = oracle.judge(c.cliCommand(), PER_COMMAND).orElse(null);
      if (answer == null) {
        failures.add("hand:" + c.name() + ": the oracle gave no answer");
        continue;
      }
      if (!c.expectation().test(answer)) {
        failures.add("hand:" + c.name() + ": the oracle does not show that " + c.because() + ": " + answer);
      }
      Outcome o = comparison.compare(c.cliCommand(), answer);
      report.add("hand:" + c.name(), c.cliCommand(), List.of("class" + c.issueClass(), "hand:" + c.name()), o);
      if (o.isBypass() && !known.tolerates("hand." + c.name())) {
        failures.add(describe("hand:" + c.name(), c.cliCommand(), o));
      }
    }
    assertThat(failures).as("hand-made differential cases").isEmpty();
  }

  @Test
  void generatedCommandsAreJudgedAsTheServerRunsThem() throws Exception {
    long seed = Long.getLong("differential.seed", 8);
    int count = Integer.getInteger("differential.count", 2500);
    long budgetNanos = Duration.ofSeconds(Long.getLong("differential.seconds", 90)).toNanos();
    List<String> services = new ArrayList<>(INTERESTING);
    List<String> all = oracle.services();
    SplittableRandom pick = new SplittableRandom(seed);
    for (int i = 0; i < 25 && !all.isEmpty(); i++) {
      services.add(all.get(pick.nextInt(all.size())));
    }
    CommandGenerator generator = new CommandGenerator(oracle.catalog(services.stream().distinct().toList()),
        INTERESTING, seed, oracle::arguments, Integer.getInteger("differential.customPercent", 18));
    DifferentialReport generated = new DifferentialReport();
    CommandGenerator.Generated[] commands = new CommandGenerator.Generated[count];
    List<OracleProcess> workers = new ArrayList<>(helpers);
    workers.add(0, oracle);
    @SuppressWarnings("unchecked")
    Optional<JsonNode>[] answers = new Optional[count];
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(workers.size());
    try {
      List<Future<?>> running = new ArrayList<>();
      for (OracleProcess worker : workers) {
        running.add(pool.submit(() -> {
          while (System.nanoTime() - start < budgetNanos) {
            int i;
            CommandGenerator.Generated g;
            synchronized (generator) { // the i-th command is the same whichever worker takes it
              i = next.getAndIncrement();
              if (i >= count) {
                return;
              }
              g = generator.next();
              commands[i] = g;
            }
            answers[i] = worker.judge(g.cliCommand(), PER_COMMAND);
          }
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    int done = 0;
    int customCount = 0;
    for (int i = 0; i < count; i++) {
      if (answers[i] == null) {
        continue;
      }
      done++;
      CommandGenerator.Generated g = commands[i];
      if (g.tags().stream().anyMatch(t -> t.startsWith("custom:"))) {
        customCount++;
      }
      if (answers[i].isEmpty()) {
        continue;
      }
      Outcome o = comparison.compare(g.cliCommand(), answers[i].get());
      generated.add("generated", g.cliCommand(), g.tags(), o);
      report.add("generated", g.cliCommand(), g.tags(), o);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    RUN.put("seed", seed).put("requested", count).put("generated", done).put("seconds", Math.round(seconds));
    RUN.put("customizationCommands", customCount).put("workers", workers.size());
    RUN.put("overRefusalRateGenerated", Math.round(generated.overRefusalRate() * 10000) / 10000.0);
    System.out.println("differential (generated, seed " + seed + ", " + Math.round(seconds) + " s): "
        + generated.summaryLine());
    List<String> failures = new ArrayList<>();
    generated.bypassClasses().forEach((kind, n) -> {
      if (!known.tolerates("generated." + kind, n)) {
        failures.add(kind + ": " + n + " bypasses (tolerated: " + known.limit("generated." + kind) + ")");
      }
    });
    if (!failures.isEmpty()) {
      generated.bypasses().stream().limit(60).forEach(b -> System.out.println("BYPASS " + b));
    }
    assertThat(done).as("commands generated").isGreaterThan(0);
    assertThat(failures).as("bypasses in generated commands (every one is in " + REPORT + ")").isEmpty();
  }

  private static String describe(String source, JsonNode cli, Outcome o) {
    return source + ": BYPASS " + cli + "\n  findings: " + Stream.of(o.findings().toArray())
        .map(String::valueOf).toList() + "\n  proxy: " + o.proxyView() + "\n  oracle: " + o.oracleView();
  }
}
