# Sourced by ./ferry and .ci/run: sets JAVA_HOME to a JDK of 21 or newer, or explains that none
# was found. Order: $JAVA_HOME, the java on PATH, then the usual install locations (newest first).

ferry_java_major() {
  # Prints the major version of the JDK at $1, or nothing.
  local home="$1" release
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "${release:-}" ]; then
    release=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
  fi
  echo "${release:-}"
}

ferry_find_java() {
  local candidates=() c major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    c=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    candidates+=("$c")
  fi
  for c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
           "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$c" ] && candidates+=("$c")
  done
  # $JAVA_HOME wins when it is new enough; otherwise the newest found.
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(ferry_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      return 0
    fi
  fi
  for c in "${candidates[@]}"; do
    major=$(ferry_java_major "$c")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$c"; best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "ferry: no JDK of version 21 or newer was found." >&2
    echo "       Looked at JAVA_HOME (${JAVA_HOME:-unset}), the javac on PATH and /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks." >&2
    echo "       Install a JDK 21+ (e.g. Temurin) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}
