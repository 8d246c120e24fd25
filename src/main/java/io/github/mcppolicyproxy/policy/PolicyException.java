package io.github.mcppolicyproxy.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A policy file that cannot be used; carries every problem found, in file order. */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient List<PolicyProblem> problems;

  public PolicyException(List<PolicyProblem> problems) {
    super(problems.stream().map(PolicyProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<PolicyProblem> problems() {
    return problems;
  }
}
