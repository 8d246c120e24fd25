#!/bin/sh
# Makes the Java runtime the container image runs: jlink with only the modules the proxy jar needs
# (found by jdeps), plus jdk.jfr for operators who profile, then its class-data archive
# (-Xshare:dump). The Dockerfile runs this script; so does `mvn -Pjlink package`, which then runs
# the end-to-end tests on the same runtime (see README, "Container").
#
# usage: make-runtime.sh JAR OUTPUT_DIR [JDK_HOME]     (JDK_HOME defaults to JAVA_HOME, then PATH)
set -eu
if [ $# -lt 2 ]; then
  echo "usage: make-runtime.sh JAR OUTPUT_DIR [JDK_HOME]" >&2
  exit 2
fi
jar="$1"
out="$2"
jdk="${3:-${JAVA_HOME:-}}"
if [ -n "$jdk" ]; then
  bin="$jdk/bin/"
else
  bin=""
fi
# The modules the jar's classes refer to (jdeps), as the JDK that links them reports them.
modules=$("${bin}jdeps" --print-module-deps --ignore-missing-deps --multi-release 17 "$jar")
case ",$modules," in *,jdk.jfr,*) ;; *) modules="$modules,jdk.jfr" ;; esac
major=$("${bin}jlink" --version 2>/dev/null | sed 's/[^0-9].*//')
if [ "${major:-17}" -ge 21 ]; then compress=zip-6; else compress=2; fi
echo "make-runtime: jlink --add-modules $modules -> $out" >&2
rm -rf "$out"
"${bin}jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress="$compress" --output "$out"
# The runtime's own CDS archive of the JDK classes: jlink does not make one.
"$out/bin/java" -Xshare:dump >/dev/null
echo "make-runtime: $("$out/bin/java" -version 2>&1 | head -n 1); $(du -sh "$out" | cut -f1)" >&2
