#!/usr/bin/env python3
"""Checks the #include lines of src/ against the module layering of the style guide.

Dependencies point one way (STYLE.md section 1): a module may include only the modules listed
for it below, never one above it. Headers keep the libraries the style guide names out of
them (section 7): only the .cc that adapts a library includes it.

Prints one line per violation (file:line: what and why) and exits 1 if there is any, else
prints a one-line summary and exits 0. Run by the test command (ctest: dependency_check).

  python3 scripts/check-deps.py [SRC_DIR]
  python3 scripts/check-deps.py --self-test   # a tree with known violations is caught
"""
import os
import re
import sys
import tempfile

# What each module may include besides itself: the modules below it.
#   cli -> sync -> store -> s3 -> aws -> util/http -> util   (sync sees no S3 type)
#   cli -> slack, jira -> util/http        store -> util (LocalDirStore)
#   cli -> cache -> parquet -> util        cache reads Slack and Jira: where the two meet
#   import -> slack (an export served as a SlackSource); config -> util
#   store -> azure -> aws (HMAC, URI encoding and the environment view, nothing of S3's)
BELOW = {
    'util': set(),
    'util/http': {'util'},
    'aws': {'util/http', 'util'},
    's3': {'aws', 'util/http', 'util'},
    'azure': {'aws', 'util/http', 'util'},
    'store': {'s3', 'azure', 'aws', 'util/http', 'util'},
    'sync': {'store', 'util'},  # storage only through store/'s ObjectStore
    'parquet': {'util'},
    'slack': {'util/http', 'util'},
    'jira': {'util/http', 'util'},
    'cache': {'parquet', 'slack', 'jira', 'util/http', 'util'},
    'import': {'slack', 'util'},
    'config': {'util'},
    'cli': {'sync', 'store', 's3', 'azure', 'aws', 'util/http', 'util', 'parquet', 'slack', 'jira',
            'cache', 'import', 'config'},
    'main': {'cli', 'config', 'util'},
}
GENERATED = {'slack_intel/version.h'}  # made by the build, includable anywhere

# Library headers kept out of our headers, by include-path pattern.
KEPT_OUT_OF_HEADERS = [
    (re.compile(r'^openssl/'), 'OpenSSL'),
    (re.compile(r'^zip\.h$'), 'libzip'),
    (re.compile(r'^pugixml'), 'pugixml'),
    (re.compile(r'^simdjson'), 'simdjson'),
    (re.compile(r'^nlohmann/(?!json_fwd\.hpp$)'), 'nlohmann-json (json_fwd.hpp declares it)'),
    (re.compile(r'^yaml-cpp/'), 'yaml-cpp'),
    (re.compile(r'^zstd\.h$'), 'zstd'),
    (re.compile(r'^snappy'), 'snappy'),
    (re.compile(r'^zlib\.h$'), 'zlib'),
    (re.compile(r'^curl/'), 'libcurl'),
]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def module_of(relative):
    """src-relative path -> module name ('main' for src/main.cc)."""
    parts = relative.split('/')
    if len(parts) == 1:
        return 'main'
    if parts[0] == 'util' and len(parts) > 2 and parts[1] == 'http':
        return 'util/http'
    return parts[0]


def check(src):
    problems = []
    files = 0
    for folder, _, names in os.walk(src):
        for name in sorted(names):
            if not name.endswith(('.h', '.cc')):
                continue
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, src)
            module = module_of(relative)
            if module not in BELOW:
                problems.append(f'{relative}: module {module!r} is not in the layering '
                                '(add it to scripts/check-deps.py and STYLE.md)')
                continue
            files += 1
            with open(path, encoding='utf-8') as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    bracket, target = match.groups()
                    where = f'{relative}:{number}'
                    if bracket == '"':
                        if target in GENERATED:
                            continue
                        to = module_of(target)
                        if to == module:
                            continue
                        if to not in BELOW.get(module, set()):
                            problems.append(f'{where}: {module} includes {target} ({to}), '
                                            f'which is not below it')
                    elif name.endswith('.h'):
                        for pattern, library in KEPT_OUT_OF_HEADERS:
                            if pattern.search(target):
                                problems.append(f'{where}: header includes <{target}>: keep '
                                                f'{library} in the .cc that adapts it')
    return files, problems


def self_test():
    """The check finds each kind of violation in a small tree made for it, and only those."""
    tree = {
        'parquet/writer.cc': '#include "parquet/writer.h"\n#include "sync/plan.h"\n',
        'parquet/writer.h': '#include <zstd.h>\n#include <nlohmann/json_fwd.hpp>\n',
        'util/http/client.h': '#include "util/status.h"\n#include <openssl/ssl.h>\n',
        'import/zip.h': '#include <zip.h>\n',
        'cache/export.cc': '#include "import/zip.h"\n#include "slack_intel/version.h"\n',
        'gui/window.cc': '#include "util/status.h"\n',
        'main.cc': '#include "cli/command_line.h"\n',
    }
    expected = [
        'cache/export.cc:1: cache includes import/zip.h (import), which is not below it',
        "gui/window.cc: module 'gui' is not in the layering",
        'import/zip.h:1: header includes <zip.h>: keep libzip in the .cc that adapts it',
        'parquet/writer.cc:2: parquet includes sync/plan.h (sync), which is not below it',
        'parquet/writer.h:1: header includes <zstd.h>: keep zstd in the .cc that adapts it',
        'util/http/client.h:2: header includes <openssl/ssl.h>: keep OpenSSL',
    ]
    with tempfile.TemporaryDirectory() as root:
        for relative, text in tree.items():
            os.makedirs(os.path.dirname(os.path.join(root, relative)), exist_ok=True)
            with open(os.path.join(root, relative), 'w', encoding='utf-8') as f:
                f.write(text)
        _, problems = check(root)
    problems.sort()
    ok = len(problems) == len(expected) and all(
        p.startswith(e) for p, e in zip(problems, expected))
    if not ok:
        print('check-deps self-test: expected\n  ' + '\n  '.join(expected) +
              '\nfound\n  ' + '\n  '.join(problems))
        return 1
    print(f'check-deps self-test: the {len(expected)} planted violations were found')
    return 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), '..', 'src')
    files, problems = check(src)
    for problem in problems:
        print(problem)
    if problems:
        print(f'check-deps: {len(problems)} problem(s) in {files} files')
        return 1
    print(f'check-deps: {files} files follow the layering')
    return 0


if __name__ == '__main__':
    sys.exit(main())
