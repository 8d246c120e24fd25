package io.github.mcppolicyproxy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The parser's memo of recent command texts: a remembered result is the one a new parse gives
 * (texts that differ only in case, quoting, spacing or one character each keep their own result),
 * it is bounded in entries and in text length, and it is kept per parser (per defaults).
 */
class AwsCliParserMemoTest {

  private static List<String> texts() {
    List<String> base = List.of(
        "aws ec2 describe-instances --instance-ids i-1 --region us-west-2",
        "aws omics start-read-set-export-job --sequence-store-id 1 --destination s3://genomics-exports/run/"
            + " --role-arn arn:aws:iam::1:role/r --sources readSetId=rs-1 --region us-east-1",
        "aws s3api get-object --bucket b --key k out.txt",
        "aws s3 cp s3://a/b c --region eu-west-1",
        "aws sts get-caller-identity",
        "aws lambda invoke --function-name arn:aws:lambda:eu-west-1:1:function:f out.json",
        "aws iam delete-user --user-name x --profile admin");
    List<String> out = new ArrayList<>();
    for (String t : base) {
      out.add(t);
      out.add(t.toUpperCase(java.util.Locale.ROOT));
      out.add(t.replace("aws ", "aws  "));
      out.add(t.replace(" --", " '--"));
      out.add(t.replaceFirst(" --region [a-z0-9-]+", ""));
      out.add(t + " --help");
      out.add(t + " --dest s3://elsewhere/");
      out.add(t.replace("aws ", "aws --region eu-central-1 "));
    }
    return out;
  }

  @Test
  void aRememberedResultIsTheResultOfANewParse() {
    AwsCliParser memo = new AwsCliParser(AwsDefaults.none());
    List<String> texts = texts();
    for (int round = 0; round < 3; round++) {
      for (String t : texts) {
        AwsParseResult fresh = new AwsCliParser(AwsDefaults.none()).parse(t);
        AwsParseResult result = memo.parse(t);
        assertThat(result).as("%s (round %d)", t, round).isEqualTo(fresh);
        assertThat(memo.parse(new String(t))).as("%s again: remembered", t).isSameAs(result);
      }
    }
    assertThat((long) memo.memoSize()).isBetween(texts.stream().distinct().count() / 2,
        texts.stream().distinct().count());
    String t = texts.get(0);
    assertThat(memo.parse(new String(t))).as("the same text in another string").isSameAs(memo.parse(t));
    long parsed = texts.stream().map(memo::parse).filter(r -> r instanceof AwsParseResult.Parsed).count();
    assertThat(parsed).as("commands that parse").isBetween(10L, (long) texts.size() - 10);
  }

  @Test
  void textsThatShareASlotTakeItInTurnAndKeepTheirOwnResults() {
    AwsCliParser parser = new AwsCliParser(AwsDefaults.none());
    String first = "aws ec2 describe-instances --instance-ids i-0";
    String second = null;
    for (int i = 1; second == null; i++) {
      String t = "aws ec2 describe-instances --instance-ids i-" + i;
      if (slot(t) == slot(first)) {
        second = t;
      }
    }
    AwsParseResult a = parser.parse(first);
    AwsParseResult b = parser.parse(second);
    assertThat(parser.memoSize()).isEqualTo(1);
    assertThat(parser.parse(first)).as("taken over by the second text: parsed anew")
        .isEqualTo(a).isNotSameAs(a);
    assertThat(((AwsParseResult.Parsed) parser.parse(second)).command().params())
        .containsEntry("instance-ids", List.of(second.substring(second.lastIndexOf(' ') + 1)))
        .isEqualTo(((AwsParseResult.Parsed) b).command().params());
  }

  private static int slot(String text) {
    int h = text.hashCode();
    return (h ^ (h >>> 16)) & (AwsCliParser.MEMO_ENTRIES - 1);
  }

  @Test
  void eachParserRemembersItsOwnDefaults() {
    AwsCliParser none = new AwsCliParser(AwsDefaults.none());
    AwsCliParser east = new AwsCliParser(new AwsDefaults(Optional.of("us-east-1"), Optional.empty()));
    String t = "aws ec2 describe-instances";
    for (int i = 0; i < 2; i++) {
      assertThat(((AwsParseResult.Parsed) none.parse(t)).command().region()).isEmpty();
      assertThat(((AwsParseResult.Parsed) east.parse(t)).command().region()).contains("us-east-1");
    }
  }

  @Test
  void theMemoIsBoundedInEntriesAndInTextLength() {
    AwsCliParser parser = new AwsCliParser(AwsDefaults.none());
    for (int i = 0; i < AwsCliParser.MEMO_ENTRIES * 3 + 7; i++) {
      parser.parse("aws ec2 describe-instances --instance-ids i-" + i);
      assertThat(parser.memoSize()).isBetween(1, AwsCliParser.MEMO_ENTRIES);
    }
    int before = parser.memoSize();
    String longText = "aws ec2 describe-instances --instance-ids i-" + "1".repeat(AwsCliParser.MEMO_TEXT_CHARS);
    AwsParseResult first = parser.parse(longText);
    assertThat(parser.memoSize()).as("a text over the length limit is not kept").isEqualTo(before);
    assertThat(parser.parse(longText)).isEqualTo(first).isNotSameAs(first);
  }
}
