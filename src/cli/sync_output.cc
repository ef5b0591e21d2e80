#include "cli/sync_output.h"

#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/progress_line.h"
#include "util/printable.h"
#include "util/redact.h"

namespace slack_intel::cli {

SyncOutput::SyncOutput(const SyncOutputOptions& options)
    : options_(options),
      line_(std::make_unique<ProgressLine>(
          [this](double elapsed) -> std::string {
            if (progress_.files_total == 0) return "";  // still listing and comparing
            return FormatProgress(progress_.files_done, progress_.files_total, progress_.bytes_done,
                                  progress_.bytes_total, elapsed);
          },
          !options.quiet && !options.json && options.progress && StderrTakesProgress())) {}

SyncOutput::~SyncOutput() = default;

void SyncOutput::Report(const sync::SyncEvent& event) {
  line_->Print([&] {
    if (options_.json) {
      nlohmann::ordered_json line = {{"action", event.KindName()}, {"dry_run", event.dry_run}};
      if (!event.source.empty()) line["source"] = event.source;
      line["destination"] = event.destination;
      if (event.size_bytes > 0) line["size_bytes"] = event.size_bytes;
      if (!event.error.empty()) line["error"] = RedactSecrets(event.error);
      fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else if (event.is_failure()) {
      fmt::print(stderr, "{}\n", Printable(RedactSecrets(event.ToText())));
    } else if (!options_.quiet) {
      fmt::print("{}\n", Printable(event.ToText()));
    }
  });
}

void SyncOutput::PrintSummary(const sync::SyncSummary& summary) {
  line_.reset();  // the progress line is erased before the summary
  const std::string verb = options_.pull ? "downloaded" : "uploaded";
  if (options_.json) {
    nlohmann::ordered_json totals = {{verb, summary.transferred},
                                     {"skipped", summary.skipped},
                                     {"deleted", summary.deleted},
                                     {"failed", summary.failed},
                                     {"bytes_" + verb, summary.bytes_transferred},
                                     {"hashed_files", summary.hashed_files},
                                     {"hashed_bytes", summary.hashed_bytes},
                                     {"early_uploads", summary.early_uploads},
                                     {"dry_run", options_.dry_run},
                                     {"elapsed_seconds", summary.elapsed_seconds}};
    fmt::print("{}\n", nlohmann::ordered_json{{"summary", totals}}.dump());
  } else if (!options_.quiet) {
    // A no-op takes tens of milliseconds: "in 0.0 s" would say nothing.
    const int digits = summary.elapsed_seconds < 1 ? 2 : 1;
    fmt::print("{}{} {} file(s) ({} bytes), unchanged {}, deleted {}, failed {} in {:.{}f} s\n",
               options_.dry_run ? "(dryrun) " : "", verb, summary.transferred,
               summary.bytes_transferred, summary.skipped, summary.deleted, summary.failed,
               summary.elapsed_seconds, digits);
  }
  std::fflush(stdout);
}

}  // namespace slack_intel::cli
