#include "util/heap_tuning.h"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace slack_intel {
namespace {

constexpr size_t kHeapStep = size_t{8} << 20;
constexpr int kMmapThreshold = 4 << 20;  // blocks from here up get a mapping of their own
constexpr uintptr_t kHugePage = uintptr_t{2} << 20;

void* volatile heap_gap = nullptr;  // volatile: the block is kept, not optimized away

}  // namespace

void TuneHeapForShortRuns() {
  // One arena: what one thread frees, the next reuses, and all of it lies in the huge pages.
  // A sync's threads wait on the network far more than they allocate.
  mallopt(M_ARENA_MAX, 1);
  mallopt(M_TOP_PAD, static_cast<int>(kHeapStep));
  // Setting M_TOP_PAD freezes the mmap threshold at 128 KiB: listing pages (1 MiB buffers)
  // would each be a fresh mapping, faulted in 4 KiB at a time.
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  // Grow the heap now: a block just bigger than the free top makes malloc extend the heap by
  // the step, and that new range is what gets huge pages.
  const auto before = reinterpret_cast<uintptr_t>(sbrk(0));
  void* probe = malloc(mallinfo2().keepcost + 64);
  const auto after = reinterpret_cast<uintptr_t>(sbrk(0));
  if (probe == nullptr) return;
  const uintptr_t from = (before + kHugePage - 1) & ~(kHugePage - 1);
  const uintptr_t to = after & ~(kHugePage - 1);
  const auto top = reinterpret_cast<uintptr_t>(probe);
  if (to <= from) {  // the step holds no whole huge page
    free(probe);
    return;
  }
  madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
  // The probe starts where the free top of the heap did, below the first huge page: the blocks
  // to come would start there, in 4 KiB pages faulted one at a time. Cut down to end where
  // the huge pages begin, and kept (never touched, never freed), it leaves those to them.
  if (top + 64 < from) {
    heap_gap = realloc(probe, from - top - 8);  // malloc adds its 8-byte size field
  } else {
    free(probe);
  }
}

}  // namespace slack_intel
