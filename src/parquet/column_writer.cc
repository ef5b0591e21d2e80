#include "parquet/column_writer.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <set>
#include <unordered_map>
#include <vector>

#include "parquet/compression.h"
#include "parquet/encoding.h"

namespace slack_intel::parquet {
namespace {

// min/max statistics longer than this are left out: chat text makes useless, bulky bounds,
// and engines only prune on short columns (ids, timestamps, names).
constexpr size_t kMaxStatisticsValueBytes = 256;

// After this many values a chunk's dictionary is judged: kept only if fewer than half of the
// values were distinct. Smaller chunks are judged when they end.
constexpr uint64_t kDictionaryProbeValues = 4096;

// Levels, pages and chunk assembly shared by every physical type. Subclasses buffer values
// and encode them when a page is cut.
class ColumnWriterBase : public ColumnWriter {
 public:
  ColumnWriterBase(const ColumnSpec& spec, const ColumnWriterOptions& options, PhysicalType type,
                   int max_definition_level, int max_repetition_level)
      : options_(options),
        name_(spec.name),
        type_(type),
        max_def_(max_definition_level),
        max_rep_(max_repetition_level) {}

  uint64_t buffered_bytes() const override {
    return chunk_pages_.size() + PageValueBytes() + def_levels_.size() / 4 + rep_levels_.size() / 4;
  }

  Status FinishChunk(ColumnChunkOutput& out) override {
    BeforeLastPage();
    if (!def_levels_.empty() || level_count_ > 0) SLACK_INTEL_RETURN_IF_ERROR(FlushPage());
    out.bytes.clear();
    out.metadata = ColumnMetaData{};
    ColumnMetaData& m = out.metadata;
    m.type = type_;
    m.codec = options_.codec;
    m.path_in_schema = PathInSchema();
    m.num_values = chunk_level_count_;
    std::string dictionary_page;
    int32_t dictionary_size = 0;
    if (EncodeDictionary(dictionary_page, dictionary_size)) {
      m.dictionary_page_offset = 0;
      SLACK_INTEL_RETURN_IF_ERROR(AppendPage(PageType::kDictionaryPage, dictionary_page,
                                             dictionary_size, Encoding::kPlain, out.bytes, m));
      encodings_.insert(Encoding::kPlain);
    }
    m.data_page_offset = static_cast<int64_t>(out.bytes.size());
    m.total_uncompressed_size += chunk_uncompressed_bytes_;
    m.total_compressed_size += static_cast<int64_t>(chunk_pages_.size());
    if (out.bytes.empty()) {
      out.bytes.swap(chunk_pages_);
    } else {
      out.bytes += chunk_pages_;
    }
    if (max_def_ > 0 || max_rep_ > 0) encodings_.insert(Encoding::kRle);
    m.encodings.assign(encodings_.begin(), encodings_.end());
    Statistics stats;
    stats.null_count = null_count_;
    FillMinMax(stats);
    m.statistics = std::move(stats);
    ResetChunk();
    return Status::OK();
  }

 protected:
  // Scratch buffers are reused from page to page, but one outsized value (a hostile 50 MB
  // message) must not keep its copies alive for the rest of the file.
  void ReleaseIfOversized(std::string& buffer) const {
    if (buffer.capacity() > 2 * options_.page_size_bytes) std::string().swap(buffer);
  }

  // One level entry: a value, a null or an empty list. Values go to the subclass separately.
  void AddLevels(uint32_t def, uint32_t rep) {
    if (max_def_ > 0) def_levels_.push_back(def);
    if (max_rep_ > 0) rep_levels_.push_back(rep);
    ++level_count_;
  }

  // Called after each whole row, so a page never splits a row.
  void RowDone() {
    if (PageValueBytes() + level_count_ / 4 >= options_.page_size_bytes) CutPage();
  }

  // Cuts the current page now; errors are kept for FinishChunk.
  void CutPage() {
    Status status = FlushPage();
    if (!status.ok() && first_error_.ok()) first_error_ = status;
  }

  bool nullable_leaf() const { return max_def_ > 0; }
  // Whether a data page of the current chunk has been written already.
  bool pages_cut() const { return !chunk_pages_.empty(); }
  // Called once per chunk before its last page is encoded.
  virtual void BeforeLastPage() {}
  int max_def() const { return max_def_; }
  void CountNull() { ++null_count_; }

  // Subclass hooks.
  virtual uint64_t PageValueBytes() const = 0;
  // Appends the page's values and clears them; sets the encoding used.
  virtual void EncodePageValues(std::string& out, Encoding& encoding) = 0;
  // The dictionary page's PLAIN values for this chunk, if dictionary encoding was used.
  virtual bool EncodeDictionary(std::string& out, int32_t& num_values) = 0;
  virtual void FillMinMax(Statistics& stats) const = 0;
  virtual void ResetValues() = 0;

  const ColumnWriterOptions options_;

 private:
  std::vector<std::string> PathInSchema() const {
    if (max_rep_ > 0) return {name_, "list", "element"};
    return {name_};
  }

  Status FlushPage() {
    SLACK_INTEL_RETURN_IF_ERROR(first_error_);
    if (level_count_ == 0) return Status::OK();
    page_.clear();
    // Data page v1: repetition levels, then definition levels, each with a 4-byte length.
    auto append_levels = [&](const std::vector<uint32_t>& levels, int max_level) {
      if (max_level == 0) return;
      const size_t length_at = page_.size();
      page_.append(4, '\0');
      AppendRleBitPacked(levels, BitWidth(static_cast<uint32_t>(max_level)), page_);
      const auto length = static_cast<uint32_t>(page_.size() - length_at - 4);
      std::memcpy(page_.data() + length_at, &length, 4);
    };
    append_levels(rep_levels_, max_rep_);
    append_levels(def_levels_, max_def_);
    Encoding encoding = Encoding::kPlain;
    EncodePageValues(page_, encoding);
    encodings_.insert(encoding);
    ColumnMetaData unused;
    SLACK_INTEL_RETURN_IF_ERROR(AppendPage(PageType::kDataPage, page_,
                                           static_cast<int32_t>(level_count_), encoding,
                                           chunk_pages_, unused));
    chunk_uncompressed_bytes_ += unused.total_uncompressed_size;
    chunk_level_count_ += static_cast<int64_t>(level_count_);
    def_levels_.clear();
    rep_levels_.clear();
    level_count_ = 0;
    ReleaseIfOversized(page_);
    ReleaseIfOversized(compressed_);
    return Status::OK();
  }

  // Compresses `body`, appends header + body to `out` and adds both sizes to `m`'s totals.
  Status AppendPage(PageType type, const std::string& body, int32_t num_values, Encoding encoding,
                    std::string& out, ColumnMetaData& m) {
    SLACK_INTEL_RETURN_IF_ERROR(
        Compress(options_.codec, body, compressed_, options_.compression_level));
    if (body.size() > INT32_MAX || compressed_.size() > INT32_MAX) {
      return Status::Internal("page larger than 2 GiB");
    }
    PageHeader header;
    header.type = type;
    header.uncompressed_page_size = static_cast<int32_t>(body.size());
    header.compressed_page_size = static_cast<int32_t>(compressed_.size());
    if (type == PageType::kDictionaryPage) {
      header.dictionary_page_header = DictionaryPageHeader{num_values, Encoding::kPlain};
    } else {
      header.data_page_header =
          DataPageHeader{num_values, encoding, Encoding::kRle, Encoding::kRle};
    }
    const size_t header_at = out.size();
    SerializePageHeader(header, out);
    const auto header_bytes = static_cast<int64_t>(out.size() - header_at);
    out += compressed_;
    m.total_uncompressed_size += header_bytes + static_cast<int64_t>(body.size());
    m.total_compressed_size += header_bytes + static_cast<int64_t>(compressed_.size());
    return Status::OK();
  }

  void ResetChunk() {
    chunk_pages_.clear();
    ReleaseIfOversized(chunk_pages_);
    chunk_uncompressed_bytes_ = 0;
    chunk_level_count_ = 0;
    null_count_ = 0;
    encodings_.clear();
    ResetValues();
  }

  std::string name_;
  PhysicalType type_;
  int max_def_;
  int max_rep_;
  // Current page.
  std::vector<uint32_t> def_levels_;
  std::vector<uint32_t> rep_levels_;
  size_t level_count_ = 0;
  std::string page_;
  std::string compressed_;
  // Current chunk.
  std::string chunk_pages_;
  int64_t chunk_uncompressed_bytes_ = 0;
  int64_t chunk_level_count_ = 0;
  int64_t null_count_ = 0;
  std::set<Encoding> encodings_;  // ordered, so metadata bytes are deterministic
  Status first_error_;
};

// ---------------------------------------------------------------- value traits

// Fixed-width values: PLAIN is the little-endian bytes, and so are statistics bounds.
// `KeyT` is what the dictionary hashes: the value itself, or for doubles its bit pattern,
// because NaN must equal itself as a dictionary key.
template <typename T, PhysicalType kPhysical, typename KeyT = T>
struct FixedWidthTraits {
  using Value = T;
  using Key = KeyT;
  static constexpr PhysicalType kType = kPhysical;
  static Key ToKey(Value v) { return std::bit_cast<Key>(v); }
  static Value FromKey(const Key& k) { return std::bit_cast<Value>(k); }
  static void Plain(Value v, std::string& out) { AppendPlain(v, out); }
  static bool Less(Value a, Value b) { return a < b; }
  static std::string StatBytes(Value v) {
    std::string s;
    AppendPlain(v, s);
    return s;
  }
};

using Int32Traits = FixedWidthTraits<int32_t, PhysicalType::kInt32>;
using Int64Traits = FixedWidthTraits<int64_t, PhysicalType::kInt64>;
using DoubleTraits = FixedWidthTraits<double, PhysicalType::kDouble, uint64_t>;

struct ByteArrayTraits {
  using Value = std::string_view;
  using Key = std::string;
  static constexpr PhysicalType kType = PhysicalType::kByteArray;
  static Key ToKey(Value v) { return Key(v); }
  static Value FromKey(const Key& k) { return k; }
  static void Plain(Value v, std::string& out) { AppendPlainByteArray(v, out); }
  static bool Less(Value a, Value b) { return a < b; }  // char_traits<char>: unsigned bytes
  static std::string StatBytes(Value v) { return std::string(v); }
};

// Values of one physical type: PLAIN, or dictionary indices while the dictionary is small.
template <typename Traits>
class TypedColumnWriter : public ColumnWriterBase {
 public:
  using Value = typename Traits::Value;

  TypedColumnWriter(const ColumnSpec& spec, const ColumnWriterOptions& options, int max_def,
                    int max_rep)
      : ColumnWriterBase(spec, options, Traits::kType, max_def, max_rep),
        use_dictionary_(options.enable_dictionary) {}

  void AppendNull() override {
    AddLevels(0, 0);
    CountNull();
    RowDone();
  }

 protected:
  // A non-null leaf value with its levels.
  void AddValue(Value v, uint32_t rep) {
    AddLevels(static_cast<uint32_t>(max_def()), rep);
    UpdateMinMax(v);
    if (use_dictionary_ && !pages_cut() &&
        ValueBytes(v) > options_.dictionary_page_size_limit_bytes) {
      AbandonDictionary();  // it could never hold this value
    }
    if (use_dictionary_) {
      auto [it, inserted] = dictionary_index_.try_emplace(
          Traits::ToKey(v), static_cast<uint32_t>(dictionary_.size()));
      if (inserted) {
        dictionary_.push_back(&it->first);
        Traits::Plain(v, dictionary_plain_);
      }
      indices_.push_back(it->second);
      ++dictionary_values_;
    } else {
      Traits::Plain(v, plain_);
    }
  }

  // After a whole row: fall back to PLAIN once the dictionary is too big (the pages so far
  // keep their dictionary encoding), then let the base cut a page if it is full.
  void EndValueRow() {
    if (use_dictionary_ && dictionary_plain_.size() > options_.dictionary_page_size_limit_bytes) {
      CutPage();
      use_dictionary_ = false;
    }
    if (use_dictionary_ && !probed_ && dictionary_values_ >= kDictionaryProbeValues) {
      probed_ = true;
      AbandonDictionaryIfUnhelpful();
    }
    RowDone();
  }

  void BeforeLastPage() override {
    if (!probed_) AbandonDictionaryIfUnhelpful();
  }

  // Mostly distinct values (ids, timestamps, message text) gain nothing from a dictionary and
  // compress worse as indices than as PLAIN values, as DuckDB also judges. While no page has
  // been written, the chunk can still become PLAIN throughout: re-encode what is buffered.
  void AbandonDictionaryIfUnhelpful() {
    if (!use_dictionary_ || pages_cut() || dictionary_values_ == 0 ||
        dictionary_.size() * 2 <= dictionary_values_) {
      return;
    }
    AbandonDictionary();
  }

  // REQUIRES: no page of the chunk was written yet.
  void AbandonDictionary() {
    for (uint32_t index : indices_) Traits::Plain(Traits::FromKey(*dictionary_[index]), plain_);
    indices_.clear();
    dictionary_.clear();
    dictionary_index_.clear();
    dictionary_plain_.clear();
    ReleaseIfOversized(dictionary_plain_);
    use_dictionary_ = false;
  }

  uint64_t PageValueBytes() const override { return plain_.size() + indices_.size(); }

  void EncodePageValues(std::string& out, Encoding& encoding) override {
    // A page of nulls only has no values: PLAIN, so it never needs a dictionary.
    if (!indices_.empty()) {
      encoding = Encoding::kRleDictionary;
      const int bit_width =
          BitWidth(dictionary_.empty() ? 0 : static_cast<uint32_t>(dictionary_.size() - 1));
      out.push_back(static_cast<char>(bit_width));
      AppendRleBitPacked(indices_, bit_width, out);
      indices_.clear();
    } else {
      encoding = Encoding::kPlain;
      out += plain_;
      plain_.clear();
      ReleaseIfOversized(plain_);
    }
  }

  bool EncodeDictionary(std::string& out, int32_t& num_values) override {
    if (dictionary_.empty()) return false;
    out = dictionary_plain_;
    num_values = static_cast<int32_t>(dictionary_.size());
    return true;
  }

  void FillMinMax(Statistics& stats) const override {
    if (!has_min_max_) return;
    std::string min = Traits::StatBytes(min_), max = Traits::StatBytes(max_);
    if constexpr (std::is_same_v<Value, double>) {
      // Parquet spec (Statistics): a zero bound is written as -0.0 for min and +0.0 for max.
      if (min_ == 0.0) min = Traits::StatBytes(-0.0);
      if (max_ == 0.0) max = Traits::StatBytes(0.0);
    }
    if (min.size() > kMaxStatisticsValueBytes || max.size() > kMaxStatisticsValueBytes) return;
    stats.min_value = std::move(min);
    stats.max_value = std::move(max);
  }

  void ResetValues() override {
    plain_.clear();
    ReleaseIfOversized(plain_);
    indices_.clear();
    dictionary_.clear();
    dictionary_index_.clear();
    dictionary_plain_.clear();
    ReleaseIfOversized(dictionary_plain_);
    use_dictionary_ = options_.enable_dictionary;
    probed_ = false;
    dictionary_values_ = 0;
    has_min_max_ = false;
    min_storage_.clear();
    max_storage_.clear();
  }

 private:
  void UpdateMinMax(Value v) {
    if constexpr (std::is_same_v<Value, double>) {
      if (std::isnan(v)) return;  // NaN has no place in an order; the spec says skip it
    }
    if (!has_min_max_) {
      SetMin(v);
      SetMax(v);
      has_min_max_ = true;
      return;
    }
    if constexpr (std::is_same_v<Value, std::string_view>) {
      // A bound longer than the limit is kept as its first limit + 1 bytes: it will not be
      // written, yet it still orders every value that differs from it within those bytes.
      // A value that shares them is as long, so which of the two is the bound does not matter.
      const bool min_cut = min_.size() > kMaxStatisticsValueBytes;
      const bool max_cut = max_.size() > kMaxStatisticsValueBytes;
      if (min_cut ? v <= min_ : v < min_) SetMin(v);
      if (max_cut ? v > max_ && !v.starts_with(max_) : max_ < v) SetMax(v);
    } else {
      if (Traits::Less(v, min_)) SetMin(v);
      if (Traits::Less(max_, v)) SetMax(v);
    }
  }

  // string_view bounds must own their bytes: the caller's buffer is gone after the append.
  void SetMin(Value v) {
    if constexpr (std::is_same_v<Value, std::string_view>) {
      min_storage_.assign(v.substr(0, kMaxStatisticsValueBytes + 1));
      min_ = min_storage_;
    } else {
      min_ = v;
    }
  }
  void SetMax(Value v) {
    if constexpr (std::is_same_v<Value, std::string_view>) {
      max_storage_.assign(v.substr(0, kMaxStatisticsValueBytes + 1));
      max_ = max_storage_;
    } else {
      max_ = v;
    }
  }

  static uint64_t ValueBytes(Value v) {
    if constexpr (std::is_same_v<Value, std::string_view>) {
      return v.size();
    } else {
      return sizeof(Value);
    }
  }

  bool use_dictionary_;
  bool probed_ = false;             // the dictionary's usefulness was judged for this chunk
  uint64_t dictionary_values_ = 0;  // values dictionary-encoded in this chunk
  std::string plain_;               // current page, PLAIN
  std::vector<uint32_t> indices_;   // current page, dictionary indices
  // The chunk dictionary in first-seen order: the index's keys (unordered_map nodes stay put).
  std::vector<const typename Traits::Key*> dictionary_;
  std::unordered_map<typename Traits::Key, uint32_t> dictionary_index_;
  std::string dictionary_plain_;
  bool has_min_max_ = false;
  Value min_{};
  Value max_{};
  std::string min_storage_, max_storage_;
};

class Int32ColumnWriter final : public TypedColumnWriter<Int32Traits> {
 public:
  using TypedColumnWriter::TypedColumnWriter;
  void AppendInt32(int32_t v) override {
    AddValue(v, 0);
    EndValueRow();
  }
};

class Int64ColumnWriter final : public TypedColumnWriter<Int64Traits> {
 public:
  using TypedColumnWriter::TypedColumnWriter;
  void AppendInt64(int64_t v) override {
    AddValue(v, 0);
    EndValueRow();
  }
};

class DoubleColumnWriter final : public TypedColumnWriter<DoubleTraits> {
 public:
  using TypedColumnWriter::TypedColumnWriter;
  void AppendDouble(double v) override {
    AddValue(v, 0);
    EndValueRow();
  }
};

class ByteArrayColumnWriter final : public TypedColumnWriter<ByteArrayTraits> {
 public:
  using TypedColumnWriter::TypedColumnWriter;
  void AppendBytes(std::string_view v) override {
    AddValue(v, 0);
    EndValueRow();
  }
};

// LIST of STRING, three-level form: definition level 0 = null list (when nullable), then
// list present but empty, then an element present. Elements we write are never null.
class StringListColumnWriter final : public TypedColumnWriter<ByteArrayTraits> {
 public:
  StringListColumnWriter(const ColumnSpec& spec, const ColumnWriterOptions& options)
      : TypedColumnWriter(spec, options, spec.nullable ? 3 : 2, 1),
        empty_list_level_(spec.nullable ? 1 : 0) {}

  void AppendNull() override {
    AddLevels(0, 0);
    CountNull();
    RowDone();
  }

  void AppendStringList(std::span<const std::string_view> items) override {
    if (items.empty()) {
      AddLevels(empty_list_level_, 0);
    } else {
      for (size_t i = 0; i < items.size(); ++i) AddValue(items[i], i == 0 ? 0 : 1);
    }
    EndValueRow();
  }

 private:
  uint32_t empty_list_level_;
};

class BooleanColumnWriter final : public ColumnWriterBase {
 public:
  BooleanColumnWriter(const ColumnSpec& spec, const ColumnWriterOptions& options)
      : ColumnWriterBase(spec, options, PhysicalType::kBoolean, spec.nullable ? 1 : 0, 0) {}

  void AppendNull() override {
    AddLevels(0, 0);
    CountNull();
    RowDone();
  }
  void AppendBool(bool v) override {
    AddLevels(static_cast<uint32_t>(max_def()), 0);
    values_.push_back(v ? 1 : 0);
    seen_false_ |= !v;
    seen_true_ |= v;
    RowDone();
  }

 protected:
  uint64_t PageValueBytes() const override { return values_.size() / 8; }
  void EncodePageValues(std::string& out, Encoding& encoding) override {
    encoding = Encoding::kPlain;
    AppendPlainBooleans(values_, out);
    values_.clear();
  }
  bool EncodeDictionary(std::string&, int32_t&) override { return false; }
  void FillMinMax(Statistics& stats) const override {
    if (!seen_false_ && !seen_true_) return;
    stats.min_value = std::string(1, seen_false_ ? '\0' : '\1');
    stats.max_value = std::string(1, seen_true_ ? '\1' : '\0');
  }
  void ResetValues() override {
    values_.clear();
    seen_false_ = seen_true_ = false;
  }

 private:
  std::vector<uint8_t> values_;
  bool seen_false_ = false;
  bool seen_true_ = false;
};

}  // namespace

std::unique_ptr<ColumnWriter> MakeColumnWriter(const ColumnSpec& spec,
                                               const ColumnWriterOptions& options) {
  assert(!spec.name.empty());
  const int max_def = spec.nullable ? 1 : 0;
  switch (spec.type) {
    case ColumnType::kBoolean:
      return std::make_unique<BooleanColumnWriter>(spec, options);
    case ColumnType::kInt32:
      return std::make_unique<Int32ColumnWriter>(spec, options, max_def, 0);
    case ColumnType::kInt64:
    case ColumnType::kTimestampMillis:
    case ColumnType::kTimestampMicros:
      return std::make_unique<Int64ColumnWriter>(spec, options, max_def, 0);
    case ColumnType::kDouble:
      return std::make_unique<DoubleColumnWriter>(spec, options, max_def, 0);
    case ColumnType::kString:
      return std::make_unique<ByteArrayColumnWriter>(spec, options, max_def, 0);
    case ColumnType::kStringList:
      return std::make_unique<StringListColumnWriter>(spec, options);
  }
  return nullptr;
}

}  // namespace slack_intel::parquet
