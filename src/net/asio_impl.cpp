// The one translation unit that compiles Boost.Asio and Boost.Beast (separate compilation), so
// that no other file instantiates their non-template internals.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
