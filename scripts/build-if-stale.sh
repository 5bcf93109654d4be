# Sourced by the launchers at the repository root (shaledb, shaledb-demo).
# build_if_stale ROOT JAR LIB MAVEN_ARGS...: builds with ./mvnw MAVEN_ARGS when JAR or LIB is missing, or when a
# source file, resource or POM changed after JAR was built. Maven's output goes to a log file, so a user sees one
# line while it builds, and the end of the log only if the build fails.

# The first main source, resource or POM under ROOT newer than JAR, if any (test sources do not go into the jar).
changed_source() {
  local root="$1" jar="$2"
  find "$root" \( -name target -o -name .git -o -name node_modules -o -name 'shaledb-data*' \) -prune -o \
    -type f \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit
}

build_if_stale() {
  local root="$1" jar="$2" lib="$3"
  shift 3
  local reason changed
  if [[ ! -f "$jar" || ! -d "$lib" ]]; then
    reason="first run, a few minutes"
  else
    changed="$(changed_source "$root" "$jar")"
    [[ -z "$changed" ]] && return 0
    reason="${changed#"$root"/} changed since the last build"
  fi
  local log="$root/target/launcher-build.log"
  mkdir -p "$root/target"
  echo "Building ShaleDB ($reason)..." >&2
  if ! (cd "$root" && ./mvnw -B "$@") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "The build failed; its whole output is in $log" >&2
    exit 1
  fi
  # Maven leaves an up-to-date jar untouched; mark this build so the same change does not rebuild again.
  touch "$jar"
}
