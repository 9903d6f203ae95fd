// The store test suite runs against every Store implementation through this factory list.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "store/store.hpp"
#include "support/herald_process.hpp"

namespace herald::test {

struct StoreFactory {
  std::string name;
  // Opens a store whose data lives in `dir` (a fresh folder).
  std::function<std::unique_ptr<Store>(const std::filesystem::path& dir)> open;
};

// Test names print the store's name, not the object's bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* out) {
  *out << factory.name;
}

}  // namespace herald::test
