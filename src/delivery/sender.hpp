// The two kinds of sender the outbox drives. Each worker thread owns one of each kind it needs,
// made by a factory on that thread, so a sender keeps its connections open between sends and
// needs no lock.
#pragma once

#include <functional>
#include <memory>

#include "delivery/channel.hpp"

namespace herald::delivery {

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual Outcome send(const OutgoingEmail& email) = 0;
};

class PushSender {
 public:
  virtual ~PushSender() = default;
  // `device` is a device of a platform this sender was made for.
  virtual Outcome send(const Device& device, const PushMessage& message) = 0;
};

struct SenderFactories {
  std::function<std::unique_ptr<EmailSender>()> email;  // empty: email is not configured
  std::function<std::unique_ptr<PushSender>()> push;    // empty: no push platform configured
};

}  // namespace herald::delivery
