# Sourced by scripts: points JAVA_HOME at a Temurin 25 JDK (found by glob), else keeps the environment's.
for candidate in /usr/lib/jvm/temurin-25-jdk* /usr/lib/jvm/temurin-25* /opt/java/temurin-25* "${JAVA_HOME:-}"; do
  if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
    export JAVA_HOME="$candidate"
    break
  fi
done
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ]; then
  echo "seismo: no JDK found; install Temurin 25 or set JAVA_HOME" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
