#!/usr/bin/env bash
# The test command: installs what is missing, builds with ASan + UBSan and warnings as errors,
# then runs every test (unit, integration, e2e) with CTest. Extra arguments go to ctest,
# e.g. `scripts/test.sh -L unit` or `scripts/test.sh -R Parquet`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build/test"

"$ROOT/scripts/install-deps.sh"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DSLACK_INTEL_SANITIZE=ON -DSLACK_INTEL_WERROR=ON -DSLACK_INTEL_HEADER_CHECK=ON \
  -DSLACK_INTEL_FUZZ=ON >/dev/null
cmake --build "$BUILD"
# Tests reach loopback only: never let a credential chain probe the EC2 metadata address.
export AWS_EC2_METADATA_DISABLED=true
# ... nor Azure's managed identity endpoint (port 9 on loopback refuses at once).
export AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:9
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
cd "$BUILD"
ctest --output-on-failure --parallel 2 --timeout 600 "$@"
