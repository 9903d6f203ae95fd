// The flags of `herald serve`, each with its environment variable.
#pragma once

#include "server/serve.hpp"

namespace CLI {
class App;
}

namespace herald {

void add_serve_flags(CLI::App& serve, ServeOptions& options);

}  // namespace herald
