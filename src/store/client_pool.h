#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace slack_intel::store {

// Clients (each one keep-alive connection) kept for reuse by a store's calls from any number
// of threads: a Lease takes an idle one, or makes one, and gives it back when it ends.
template <typename Client>
class ClientPool {
 public:
  explicit ClientPool(std::function<std::unique_ptr<Client>()> make) : make_(std::move(make)) {}

  class Lease {
   public:
    explicit Lease(ClientPool& pool) : pool_(pool), client_(pool.Take()) {}
    ~Lease() { pool_.Return(std::move(client_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Client& operator*() { return *client_; }
    Client* operator->() { return client_.get(); }

   private:
    ClientPool& pool_;
    std::unique_ptr<Client> client_;
  };

 private:
  std::unique_ptr<Client> Take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        std::unique_ptr<Client> client = std::move(idle_.back());
        idle_.pop_back();
        return client;
      }
    }
    return make_();
  }
  void Return(std::unique_ptr<Client> client) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(client));
  }

  const std::function<std::unique_ptr<Client>()> make_;
  std::mutex mutex_;  // guards idle_
  std::vector<std::unique_ptr<Client>> idle_;
};

}  // namespace slack_intel::store
