# Finds a JDK >= 21 (with javac) and exports JAVA_HOME and PATH for it.
# Order: $JAVA_HOME, the java on PATH, then JDKs installed on the system (newest first).
# Sourced by ./slipway and ./run-tests; prints nothing on success.

slipway_jdk_major() { # $1 = JDK home; prints its major version or nothing
  local home="$1" v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -r "$home/release" ]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n1)"
  fi
  if [ -z "$v" ]; then
    v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  fi
  v="${v#1.}"
  printf '%s' "${v%%[.+-]*}"
}

slipway_find_jdk() {
  local want=21 c m best="" bestm=0
  # 1. JAVA_HOME, 2. the java on PATH: taken when new enough.
  local preferred=()
  [ -n "${JAVA_HOME:-}" ] && preferred+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    preferred+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for c in "${preferred[@]}"; do
    m="$(slipway_jdk_major "$c")"
    if [ -n "$m" ] && [ "$m" -ge "$want" ]; then best="$c"; break; fi
  done
  # 3. Otherwise the newest JDK installed on the system.
  if [ -z "$best" ]; then
    for c in /usr/lib/jvm/* /opt/java/* /opt/jdk* /usr/local/jdk* /usr/java/* \
             "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
      [ -d "$c" ] && [ ! -L "$c" ] || continue
      m="$(slipway_jdk_major "$c")"
      if [ -n "$m" ] && [ "$m" -ge "$want" ] && [ "$m" -gt "$bestm" ]; then best="$c"; bestm="$m"; fi
    done
  fi
  if [ -z "$best" ]; then
    echo "slipway: no JDK $want or newer found (looked at JAVA_HOME, PATH, /usr/lib/jvm, /opt/java)." >&2
    echo "  Install one (e.g. 'apt-get install openjdk-21-jdk-headless') or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  SLIPWAY_JDK_MAJOR="$(slipway_jdk_major "$best")"
  export SLIPWAY_JDK_MAJOR
  # Maven 3.8's Guava uses sun.misc.Unsafe; newer JDKs warn about it on every build.
  if [ "$SLIPWAY_JDK_MAJOR" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *)
      export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}
