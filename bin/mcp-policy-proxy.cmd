@echo off
rem Windows twin of bin/mcp-policy-proxy: runs target\mcp-policy-proxy.jar next to this script.
rem
rem   bin\mcp-policy-proxy.cmd build      builds the jar (needs Maven and a JDK 17+ on the PATH)
rem   bin\mcp-policy-proxy.cmd [ARGS...]  runs the proxy (see --help)
rem
rem It never builds by itself: started by an MCP client without a jar (or without a java 17+), it
rem answers the client's first request with a JSON-RPC error that says what to do
rem (bin\refuse-client.ps1). java: JAVA_HOME, then the PATH. The class-data archive made by
rem `mvn package` (target\mcp-policy-proxy-<java version>.jsa) is used when it matches the java.
rem JVM messages go to stderr (-XX:+DisplayVMOutputToStderr); unlike the POSIX launcher this one
rem cannot give frames a descriptor of their own, so do not start JFR from
rem MCP_POLICY_PROXY_JAVA_OPTS here (attach it later with jcmd JFR.start).
setlocal EnableExtensions DisableDelayedExpansion
set "HERE=%~dp0"
for %%I in ("%HERE%..") do set "TOP=%%~fI"
if defined MCP_POLICY_PROXY_JAR (set "JAR=%MCP_POLICY_PROXY_JAR%") else (set "JAR=%TOP%\target\mcp-policy-proxy.jar")

set "JAVA_CMD="
if defined JAVA_HOME if exist "%JAVA_HOME%\bin\java.exe" set "JAVA_CMD=%JAVA_HOME%\bin\java.exe"
if not defined JAVA_CMD for %%J in (java.exe) do if not "%%~$PATH:J"=="" set "JAVA_CMD=%%~$PATH:J"
if not defined JAVA_CMD (
  set "WHY=no java found in JAVA_HOME or on the PATH: install a JDK 17+ (e.g. https://adoptium.net) or set JAVA_HOME in the server's env"
  goto refuse
)
for %%H in ("%JAVA_CMD%\..\..") do set "JHOME=%%~fH"
set "JVER="
if exist "%JHOME%\release" for /f "tokens=2 delims==" %%V in ('findstr /b "JAVA_VERSION=" "%JHOME%\release"') do set "JVER=%%~V"
set "JMAJOR=0"
if defined JVER for /f "tokens=1 delims=." %%M in ("%JVER%") do set "JMAJOR=%%M"
if %JMAJOR% LSS 17 (
  set "WHY=%JAVA_CMD% is Java %JVER%, not 17 or newer: install a JDK 17+ or set JAVA_HOME to one"
  goto refuse
)

if /i "%~1"=="build" goto build

if not exist "%JAR%" (
  set "WHY=the proxy is not built yet: run '%~f0 build' once in a terminal (it needs Maven and JDK 17+), then restart this MCP server"
  goto refuse
)

set "CDS="
if not "%MCP_POLICY_PROXY_CDS%"=="0" if exist "%TOP%\target\mcp-policy-proxy-%JVER%.jsa" set "CDS=-XX:SharedArchiveFile=%TOP%\target\mcp-policy-proxy-%JVER%.jsa"
"%JAVA_CMD%" -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn4m %CDS% %MCP_POLICY_PROXY_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%

:build
where mvn >nul 2>nul
if errorlevel 1 (
  echo mcp-policy-proxy: cannot build: mvn ^(Maven 3.8+^) is not on the PATH 1>&2
  exit /b 1
)
echo mcp-policy-proxy: building %JAR% with: mvn -B -q package -DskipTests 1>&2
pushd "%TOP%"
set "MAVEN_OPTS=%MAVEN_OPTS% -Djansi.noreset=true"
call mvn -B -q --no-transfer-progress -Dstyle.color=never -DskipTests -DskipNode package 1>&2
set "RC=%ERRORLEVEL%"
popd
exit /b %RC%

:refuse
echo mcp-policy-proxy: %WHY% 1>&2
powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File "%HERE%refuse-client.ps1"
exit /b 1
