package io.github.mcppolicyproxy.cli;

public final class Main {
  public static void main(String[] args) {}
}
