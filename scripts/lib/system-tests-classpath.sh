# Sourced by scripts/cluster and scripts/chaos: builds system-tests and its modules when sources changed
# (package, in this checkout only: nothing is installed into ~/.m2), then sets $classpath.
classpath_file=system-tests/target/classpath.txt
if [ ! -f "$classpath_file" ] || [ -n "$(find . -path ./system-tests/target -prune -o \( -name '*.java' -o -name '*.avsc' -o -name pom.xml -o -path '*/src/main/resources/*' \) -newer "$classpath_file" -print -quit)" ]; then
  echo "seismo: building (first run or sources changed)…"
  ./mvnw -B -q -ntp -DskipTests -pl system-tests -am package
fi
classpath="system-tests/target/classes:$(cat "$classpath_file")"
