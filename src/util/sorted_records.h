#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "util/atomic_file.h"
#include "util/result.h"

namespace slack_intel {

// The shape of sync's state files (the manifest, the folder index): a JSON header line with
// the format's name and version, then one tab-separated line per record, in ascending byte
// order of its key (sync/escaped_fields.h). They are read front to back beside a walk in the
// same order and written the same way, so none is ever in memory whole.
struct RecordFormat {
  std::string_view name;  // "slack-intel sync manifest"
  int version = 1;
  std::string_view consequence;  // of ignoring the file: "files will be hashed again"
};

// Whether a reader logs what it ignores: when two cursors read the same file in one run, one
// of them says so.
enum class DamageReport { kLog, kSilent };

// Whether `in` starts with `format`'s header (a foreign or older file is logged unless kSilent).
bool ReadRecordHeader(std::istream& in, const std::filesystem::path& path,
                      const RecordFormat& format, DamageReport report);
void WarnDamagedRecords(const std::filesystem::path& path, const RecordFormat& format);
// A new record file: its AtomicFileWriter, with the header written. Not flushed to disk on
// Commit: a record file is a hint, and a damaged one reads as one that ends early.
Result<AtomicFileWriter> OpenRecordFile(const std::filesystem::path& path,
                                        const RecordFormat& format);

// A forward cursor over a record file. Only ever a hint: a missing or foreign file reads as
// empty, and a line that is unreadable or out of order ends it there (logged unless kSilent).
template <typename Record>
class SortedRecordReader {
 public:
  // A line's key and record; nullopt if the line is unreadable.
  using Parser = std::optional<std::pair<std::string, Record>> (*)(std::string_view line);

  SortedRecordReader(const std::filesystem::path& path, const RecordFormat& format, Parser parse,
                     DamageReport report = DamageReport::kLog)
      : path_(path), format_(format), parse_(parse), report_(report), in_(path) {
    if (in_ && ReadRecordHeader(in_, path_, format_, report_)) Advance();
    had_entries_ = current_.has_value();
  }

  // The record for `key`. Keys must come in ascending byte order; records passed over were
  // not asked for and count as dropped.
  std::optional<Record> Find(std::string_view key) {
    while (current_ && current_->first < key) {
      ++dropped_;
      Advance();
    }
    if (!current_ || current_->first != key) return std::nullopt;
    Record record = std::move(current_->second);
    Advance();  // compares with current_->first, still intact
    return record;
  }
  // Records passed over so far, or with `to_end`, also those after the last key asked for.
  uint64_t Dropped(bool to_end) {
    while (to_end && current_) {
      ++dropped_;
      Advance();
    }
    return dropped_;
  }
  // Whether the file held any record when opened.
  bool had_entries() const { return had_entries_; }
  // Whether a damaged line ended the file early: a key not found may then lie beyond it.
  bool damaged() const { return damaged_; }

 private:
  bool Advance() {
    std::optional<std::string> previous;
    if (current_) previous = std::move(current_->first);
    current_.reset();
    if (!std::getline(in_, line_)) return false;
    auto row = parse_(line_);
    if (!row || (previous && row->first <= *previous)) {
      if (report_ == DamageReport::kLog) WarnDamagedRecords(path_, format_);
      damaged_ = true;
      in_.setstate(std::ios::eofbit);
      return false;
    }
    current_ = std::move(row);
    return true;
  }

  std::filesystem::path path_;
  RecordFormat format_;
  Parser parse_;
  DamageReport report_;
  std::ifstream in_;
  std::optional<std::pair<std::string, Record>> current_;
  std::string line_;
  uint64_t dropped_ = 0;
  bool had_entries_ = false;
  bool damaged_ = false;
};

// Writes the next version of a record file while the current one is read in the same order,
// and only from where the two differ: records the caller marks unchanged are counted, not
// written, until the first change, when the current file's lines up to there are copied over.
// A run that changes nothing creates no file, and Commit() leaves the current one alone.
class RecordFileWriter {
 public:
  RecordFileWriter(std::filesystem::path path, const RecordFormat& format)
      : path_(std::move(path)), format_(format) {}

  // Appends the next record. `unchanged`: it is the current file's next record as it stands
  // (nothing passed over since the last one); its line is then made (format(std::string&))
  // only if something before it changed. Errors: those of Diverge().
  template <typename Format>
  Status Add(bool unchanged, Format format) {
    if (unchanged && !file_) {
      ++kept_;
      return Status::OK();
    }
    SLACK_INTEL_RETURN_IF_ERROR(Diverge());
    line_.clear();
    format(line_);
    return file_->Append(line_);
  }
  // A change that writes no record (one removed): the new version is written from here on.
  // Errors: kIOError when the new file cannot be created or the current one read back.
  Status Diverge();
  bool changed() const { return file_.has_value(); }
  // Replaces the file with the new version if anything changed; a writer dropped before
  // Commit() leaves the current file alone.
  Status Commit() { return file_ ? file_->Commit() : Status::OK(); }

 private:
  std::filesystem::path path_;
  RecordFormat format_;
  std::optional<AtomicFileWriter> file_;  // from the first change on
  uint64_t kept_ = 0;                     // leading records of the current file, unchanged
  std::string line_;
};

}  // namespace slack_intel
