#!/usr/bin/env bash
# annotator: set up on first use, then run.
#
#   ./run.sh [ARGS...]         set up if needed, then run the app (`annotator ARGS...`;
#                              with no sub-command it opens the window)
#   ./run.sh test [PYTEST...]  set up if needed, check import contracts (lint-imports), types (mypy) and style (ruff),
#                              then run the whole test suite headless (QT_QPA_PLATFORM=offscreen), then
#                              tests/x11 in a second pytest process on a private Xvfb (QT_QPA_PLATFORM=xcb):
#                              keys pressed through a real X server with xdotool. PYTEST paths under
#                              tests/x11 go to the second run, other paths to the first, options to both;
#                              a run with nothing to do is left out (give options a value as --opt=VALUE).
#                              Then tests/store and tests/workspace (or the PYTEST paths under them)
#                              again on PostgreSQL: a throwaway cluster (Debian's postgresql installed
#                              when initdb is missing), started and removed by tests/pg_cluster.py.
#                              Non-zero when any run fails (pytest's exit 5, no tests, counts as a failure).
#   ./run.sh bundle            set up if needed, build the one-folder PyInstaller bundle dist/annotator/
#                              (resources/packaging/annotator.spec; installs pyinstaller into .venv),
#                              then smoke-test it offscreen from outside the checkout with no python on PATH
#
# Setup is idempotent and silent when there is nothing to do:
#   1. Debian packages Qt needs for offscreen use (only the missing ones; apt-get); with `test` also
#      Xvfb, xauth, xdotool and the XCB libraries; when the window opens on an X display, the XCB libraries
#   2. .venv/ made with python3 >= 3.11 (rebuilt when half-made: python but no pip)
#   3. `pip install -e '.[test,spacy]'` when pyproject.toml is newer than .venv/.installed-stamp
#      (the spacy extra too, so its exporter is tested and the rule benchmark can compare)
#
# From a checkout the default database is db/annotator.sqlite (ANNOTATOR_DEFAULT_DB);
# --db PATH_OR_URL or ANNOTATOR_DB still override it.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
stamp="$venv/.installed-stamp"

# Libraries PySide6-Essentials needs offscreen (../shared/SETUP-NOTES.md).
qt_debs=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)
# Qt's xcb platform plugin, on any X display. Missing ones make Qt name the wrong one
# ("xcb-cursor0 is needed" when libxcb-icccm4 and libxcb-keysyms1 were missing).
xcb_debs=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-randr0 libxcb-render-util0
    libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 libx11-xcb1)
# A virtual X server (xvfb-run, and the second test run), and the keys the X11 tests press.
xvfb_debs=(xvfb xauth "${xcb_debs[@]}")
x11_test_debs=("${xvfb_debs[@]}" xdotool)
# The tests' throwaway PostgreSQL cluster (initdb, pg_ctl; pg_trgm is in the server package).
pg_test_debs=(postgresql)

export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf 'run.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# ---------------------------------------------------------------- system packages
deb_missing() {  # prints the packages of "$@" that dpkg does not have installed (one dpkg-query call)
    local installed p
    installed=" $(dpkg-query -W -f='${binary:Package}=${Status}\n' "$@" 2>/dev/null \
        | sed -n 's/^\([^:=]*\)\(:[^=]*\)\{0,1\}=.* ok installed$/\1/p' | tr '\n' ' ')"
    for p in "$@"; do
        case "$installed" in
            *" $p "*) ;;
            *) printf '%s\n' "$p" ;;
        esac
    done
}

apt_install() {  # installs "$@" quietly; returns non-zero (after saying why) on failure
    local -a as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            as_root=(sudo)
        else
            say "missing Debian packages: $*"
            say "run as root:  apt-get update && apt-get install -y $*"
            return 1
        fi
    fi
    say "installing Debian packages: $*"
    local log
    log="$(mktemp "${TMPDIR:-/tmp}/annotator-apt.XXXXXX")"
    if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq update >"$log" 2>&1 \
        || ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "$@" >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        say "apt-get failed (log: $log); to do it by hand:"
        say "  ${as_root[*]:+${as_root[*]} }apt-get update && ${as_root[*]:+${as_root[*]} }apt-get install -y $*"
        return 1
    fi
    rm -f "$log"
    return 0
}

ensure_system_packages() {  # Qt's offscreen libraries and "$@" (one apt-get run for all that is missing)
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian-like: the user provides Qt's libraries
    local -a missing
    mapfile -t missing < <(deb_missing "${qt_debs[@]}" "$@")
    [ "${#missing[@]}" -eq 0 ] && return 0
    apt_install "${missing[@]}"
}

# ---------------------------------------------------------------- python and .venv
find_python() {  # prints a python >= 3.11, or fails
    local py
    for py in "${PYTHON:-}" python3 python3.13 python3.12 python3.11; do
        [ -n "$py" ] || continue
        command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            printf '%s\n' "$py"
            return 0
        fi
    done
    return 1
}

venv_ok() {  # a usable .venv: its python runs and has pip
    [ -x "$venv/bin/python" ] && [ -f "$venv/pyvenv.cfg" ] \
        && "$venv/bin/python" -c 'import pip' >/dev/null 2>&1
}

ensure_ensurepip() {  # Debian's own python3 ships venv's pip only in python3-venv
    local py="$1"
    "$py" -m ensurepip --version >/dev/null 2>&1 && return 0
    if command -v dpkg-query >/dev/null 2>&1; then
        local ver
        ver="$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
        # python3-venv pulls in the venv package of the default python3; name the versioned one too
        local -a missing
        mapfile -t missing < <(deb_missing python3-venv "python$ver-venv")
        if [ "${#missing[@]}" -gt 0 ]; then
            apt_install "${missing[@]}" || return 1
        fi
        "$py" -m ensurepip --version >/dev/null 2>&1 && return 0
    fi
    say "$py cannot make a virtual environment with pip (no ensurepip)."
    say "On Debian/Ubuntu: apt-get install python3-venv"
    return 1
}

ensure_venv() {
    venv_ok && return 0
    local py
    if ! py="$(find_python)"; then
        say "annotator needs Python >= 3.11; found: $(python3 --version 2>&1 || echo 'no python3')."
        say "Install a newer python3, or point PYTHON=/path/to/python3.11 at one."
        return 1
    fi
    ensure_ensurepip "$py" || return 1
    if [ -e "$venv" ]; then
        say "rebuilding the half-made .venv (no working pip in it)"
        rm -rf "$venv"
    fi
    say "creating .venv with $("$py" --version 2>&1)"
    local out
    if ! out="$("$py" -m venv "$venv" 2>&1)"; then
        printf '%s\n' "$out" >&2
        say "'$py -m venv $venv' failed"
        rm -rf "$venv"
        return 1
    fi
    if ! venv_ok; then
        say "the new .venv has no working pip; removed it"
        rm -rf "$venv"
        return 1
    fi
    return 0
}

ensure_installed() {  # pip install -e .[test,spacy] when pyproject.toml changed since the last install
    if [ -f "$stamp" ] && ! [ "$here/pyproject.toml" -nt "$stamp" ]; then
        return 0
    fi
    say "installing annotator and its dependencies into .venv (pip install -e '.[test,spacy]')"
    local log="$venv/pip-install.log"
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check -e "$here[test,spacy]" >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        say "pip install failed (full log: $log)"
        rm -f "$stamp"
        return 1
    fi
    touch "$stamp"
    return 0
}

setup() {  # setup [EXTRA DEBIAN PACKAGES...]
    ensure_system_packages "$@" || return 1
    ensure_venv || return 1
    ensure_installed || return 1
    mkdir -p "$here/db"
    return 0
}

# ---------------------------------------------------------------- display check
needs_display() {  # true when "$@" starts the window: no sub-command (or `gui`), no --help/--version
    local a skip=0 cmd=""
    for a in "$@"; do
        if [ "$skip" -eq 1 ]; then skip=0; continue; fi
        case "$a" in
            -h|--help|--version|-V) return 1 ;;
            --db) skip=1 ;;
            --db=*) ;;
            -*) ;;
            *) [ -z "$cmd" ] && cmd="$a" ;;
        esac
    done
    [ -z "$cmd" ] || [ "$cmd" = gui ]
}

have_display() {
    [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${QT_QPA_PLATFORM:-}" ]
}

on_x_display() {  # the window will open through Qt's xcb plugin (an X display, no other platform asked for)
    [ -n "${DISPLAY:-}" ] || return 1
    case "${QT_QPA_PLATFORM:-}" in
        ""|xcb|xcb:*) return 0 ;;
        *) return 1 ;;
    esac
}

no_display_help() {
    say "no display: neither DISPLAY nor WAYLAND_DISPLAY is set (and QT_QPA_PLATFORM is unset)."
    say "Run the window under a virtual X server:  xvfb-run -a ./run.sh${*:+ $*}"
    if ! command -v xvfb-run >/dev/null 2>&1; then
        say "  (xvfb-run is not installed: apt-get install ${xvfb_debs[*]})"
    fi
    say "or without any screen at all:            QT_QPA_PLATFORM=offscreen ./run.sh${*:+ $*}"
    say "Command-line use needs no display, e.g.:  ./run.sh docs   ./run.sh --help"
}

# ---------------------------------------------------------------- main
pytest_run() {  # pytest_run NAME ARGS...: one pytest process; exit 5 (no tests) is a failure
    local name="$1" rc
    shift
    "$venv/bin/python" -m pytest "$@"
    rc=$?
    if [ "$rc" -eq 5 ]; then
        say "$name: pytest collected no tests (exit 5): treated as a failure, a run that tests nothing proves nothing"
        rc=1
    elif [ "$rc" -ne 0 ]; then
        say "$name: pytest failed (exit $rc)"
    fi
    return "$rc"
}

if [ "${1:-}" = test ]; then
    shift
    test_debs=("${x11_test_debs[@]}")
    have_initdb() {
        command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
    }
    have_initdb || test_debs+=("${pg_test_debs[@]}")
    setup "${test_debs[@]}" || exit 1
    cd "$here" || exit 1
    export QT_QPA_PLATFORM=offscreen
    lint_out="$("$venv/bin/lint-imports" --no-logo 2>&1)"
    lint_rc=$?
    if [ "$lint_rc" -ne 0 ]; then
        printf '%s\n' "$lint_out" >&2
        die "lint-imports failed (exit $lint_rc): an import contract is broken, or it names a module that does not exist; see [tool.importlinter] in pyproject.toml"
    fi
    printf 'lint-imports: %s\n' "$(printf '%s\n' "$lint_out" | grep -E '^Contracts:' | tail -n 1)"
    # Types of the whole package ([tool.mypy] in pyproject.toml; strict for core, workspace, CLI).
    mypy_out="$("$venv/bin/mypy" 2>&1)" || { printf '%s\n' "$mypy_out" >&2; die "mypy found type errors"; }
    printf 'mypy: %s\n' "$(printf '%s\n' "$mypy_out" | tail -n 1)"
    # Style, mistakes and the 100-column lines ([tool.ruff]), and the layout `ruff format` writes.
    ruff_out="$("$venv/bin/ruff" check --quiet annotator tests bench 2>&1 \
        && "$venv/bin/ruff" format --check --quiet annotator tests bench 2>&1)" \
        || { printf '%s\n' "$ruff_out" >&2; die "ruff found problems (ruff check / ruff format --check annotator tests bench)"; }
    printf 'ruff: clean\n'
    # Paths under tests/x11 go to the X11 run, other paths to the offscreen run, options to both.
    offscreen_args=() x11_args=() options=() pg_args=()
    offscreen_paths=0 x11_paths=0
    for arg in "$@"; do
        target="${arg%%::*}"
        if [ "${arg#-}" = "$arg" ] && [ -e "$target" ]; then
            resolved="$(cd "$(dirname "$target")" && pwd)/$(basename "$target")/"
            case "$resolved" in
                "$here/tests/x11/"*) x11_args+=("$arg"); x11_paths=$((x11_paths + 1)); continue ;;
            esac
            offscreen_args+=("$arg")
            offscreen_paths=$((offscreen_paths + 1))
            case "$resolved" in
                "$here/tests/store/"*|"$here/tests/workspace/"*) pg_args+=("$arg") ;;
            esac
            case "$here/tests/store/" in
                "$resolved"*) pg_args+=(tests/store tests/workspace) ;;  # `tests` or `.`
            esac
            case "$here/tests/x11/" in
                "$resolved"*) x11_paths=$((x11_paths + 1)) ;;  # `tests` or `.`: tests/x11 too, in its run
            esac
        else
            options+=("$arg")
        fi
    done
    run_offscreen=1 run_x11=1
    if [ $((offscreen_paths + x11_paths)) -gt 0 ]; then
        [ "$offscreen_paths" -gt 0 ] || run_offscreen=0
        [ "$x11_paths" -gt 0 ] || run_x11=0
    fi
    [ "${#x11_args[@]}" -gt 0 ] || x11_args=(tests/x11)
    [ "$offscreen_paths" -gt 0 ] || pg_args=(tests/store tests/workspace)
    offscreen_rc=0 x11_rc=0 pg_rc=0
    if [ "$run_offscreen" -eq 1 ]; then
        # tests/x11 is skipped here (it needs the xcb platform), with the reason.
        ANNOTATOR_REQUIRE_X11=0 pytest_run "offscreen run" "${options[@]}" "${offscreen_args[@]}"
        offscreen_rc=$?
    fi
    if [ "$run_offscreen" -eq 1 ] && [ "${#pg_args[@]}" -gt 0 ]; then
        # The store and workspace suites again on PostgreSQL: tests/pg_cluster.py starts a
        # throwaway cluster (a temp folder, a loopback port) and removes it afterwards.
        say "PostgreSQL run: ${pg_args[*]} on a throwaway cluster (ANNOTATOR_TEST_ENGINE=postgresql)"
        ANNOTATOR_TEST_ENGINE=postgresql ANNOTATOR_REQUIRE_X11=0 \
            pytest_run "PostgreSQL run" "${options[@]}" "${pg_args[@]}"
        pg_rc=$?
    fi
    if [ "$run_x11" -eq 1 ]; then
        # Its conftest starts a private Xvfb (never the DISPLAY you work on); a missing Xvfb or
        # xdotool fails this run instead of skipping it.
        say "X11 run: keys through a real X server (Xvfb, xdotool; QT_QPA_PLATFORM=xcb)"
        QT_QPA_PLATFORM=xcb ANNOTATOR_REQUIRE_X11=1 pytest_run "X11 run" "${options[@]}" "${x11_args[@]}"
        x11_rc=$?
    fi
    if [ "$offscreen_rc" -ne 0 ] || [ "$x11_rc" -ne 0 ] || [ "$pg_rc" -ne 0 ]; then
        die "tests failed: offscreen run exit $offscreen_rc, PostgreSQL run exit $pg_rc, X11 run exit $x11_rc"
    fi
    exit 0
fi

# ---------------------------------------------------------------- bundle
bundle_check() {  # bundle_check EXPECTED [VAR=VALUE...] -- [ARGS...]: the bundle's `gui --check ARGS`, offscreen,
    # from an empty folder with a PATH that has no python; fails unless it prints EXPECTED
    local expect="$1" out rc start end
    local -a vars=()
    shift
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do vars+=("$1"); shift; done
    shift
    start=$(date +%s%N)
    out="$(cd "$tmp" && env -i HOME="$tmp" PATH="$tmp/no-python" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        "${vars[@]}" "$here/dist/annotator/annotator" gui --check "$@" 2>"$tmp/stderr")"
    rc=$?
    end=$(date +%s%N)
    printf '%s\n' "$out"
    if [ "$rc" -ne 0 ] || ! grep -qF -- "$expect" <<<"$out"; then
        cat "$tmp/stderr" >&2
        die "bundle smoke test failed (exit $rc): expected a line with: $expect"
    fi
    say "  started, showed the window and quit in $(( (end - start) / 1000000 )) ms"
}

if [ "${1:-}" = bundle ]; then
    setup || exit 1
    cd "$here" || exit 1
    if ! [ -x "$venv/bin/pyinstaller" ]; then
        say "installing pyinstaller into .venv"
        "$venv/bin/python" -m pip install -q pyinstaller || die "pip install pyinstaller failed"
    fi
    say "building dist/annotator/ (build files in build/pyinstaller/)"
    "$venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$here/dist" \
        --workpath "$here/build/pyinstaller" "$here/resources/packaging/annotator.spec" || die "pyinstaller failed"
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/annotator-bundle.XXXXXX")"
    mkdir -p "$tmp/no-python"
    say "smoke test in $tmp (PATH=$tmp/no-python): a new database given with --db"
    bundle_check "annotator window" -- --db "$tmp/x.sqlite"
    say "first start on a new default database (it gets the seed article)"
    bundle_check "Rusia Tawarkan Kerja Sama dengan AS di Suriah" "ANNOTATOR_DEFAULT_DB=$tmp/first.sqlite" --
    say "a long article: its suggestions come from the bundle's own suggestion process"
    for _ in $(seq 400); do
        printf 'Presiden Rusia Vladimir Putin bertemu John Kerry di Moskow pada Sabtu (24/10).\n'
    done >"$tmp/long.txt"
    (cd "$tmp" && env -i HOME="$tmp" PATH="$tmp/no-python" LANG=C.UTF-8 "$here/dist/annotator/annotator" \
        --db "$tmp/long.sqlite" import "$tmp/long.txt" >/dev/null) || die "the bundle could not import $tmp/long.txt"
    bundle_check "and 2000 pending suggestions" -- --db "$tmp/long.sqlite"
    rm -rf "$tmp"
    say "bundle: $(du -sh "$here/dist/annotator" | cut -f1) in dist/annotator/ (run dist/annotator/annotator)"
    exit 0
fi

if needs_display "$@" && ! have_display; then
    no_display_help "$@"
    exit 1
fi
if needs_display "$@" && on_x_display; then
    setup "${xcb_debs[@]}" || exit 1   # Qt's xcb plugin fails (naming the wrong library) without them
else
    setup || exit 1
fi
# The checkout's own database (tests do not get it: they must use their own tmp_path files).
export ANNOTATOR_DEFAULT_DB="$here/db/annotator.sqlite"
exec "$venv/bin/annotator" "$@"
