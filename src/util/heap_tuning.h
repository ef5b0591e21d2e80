#pragma once

namespace slack_intel {

// Tunes glibc's malloc for a short, mostly waiting command (a sync) on a machine where page
// faults are dear: every thread allocates from the main heap, which grows in 8 MiB steps; the
// first step lies in transparent huge pages (one fault per 2 MiB, not per 4 KiB), and the
// blocks allocated from here on start there (the heap below it is skipped, never touched).
// Where huge pages are off, the heap keeps 4 KiB pages. Call before the command starts any
// thread. Not for busy parallel work: one arena makes its threads wait on each other
// (docs/BENCHMARKS.md, "Small syncs and page faults", has the figure).
void TuneHeapForShortRuns();

}  // namespace slack_intel
