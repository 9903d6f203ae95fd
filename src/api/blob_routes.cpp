// POST /blobs (the raw body, streamed to disk; ?name=) and GET /blobs/{id}.
#include <cctype>
#include <cstdio>

#include "api/json_io.hpp"
#include "api/query_params.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "core/blob_service.hpp"

namespace herald::api {
namespace {

json::object blob_json(const BlobRecord& blob) {
  return json::object{{"id", blob.id},         {"size", blob.size},
                      {"type", blob.type},     {"name", blob.name},
                      {"sha256", blob.sha256}, {"created_at", format_rfc3339(blob.created_at)}};
}

// "attachment; filename*=UTF-8''..." with the name percent-encoded (RFC 6266, RFC 5987).
std::string content_disposition(const std::string& name) {
  static const char* kHex = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "attachment; filename*=UTF-8''" + encoded;
}

ApiResponse upload(RequestContext& ctx) {
  const auto& request = ctx.request();
  auto discard = [&] {
    if (!request.body_file.empty()) std::remove(request.body_file.c_str());
  };
  auto caller = ctx.principal();
  if (!caller) {
    discard();
    return error_response(caller.error());
  }
  auto params = ctx.query();
  if (!params) {
    discard();
    return error_response(params.error());
  }
  std::string name((*params)->get("name").value_or(""));
  if (request.body_file.empty()) return error_response(fail(errc::internal, "no upload file"));
  auto blob =
      ctx.services().blobs.accept_upload(*caller, request.body_file, request.body_size, name);
  if (!blob) return error_response(blob.error());
  return json_response(201, blob_json(*blob));
}

ApiResponse download(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto file = ctx.services().blobs.open(*caller, ctx.param(0));
  if (!file) return error_response(file.error());
  ApiResponse response;
  response.content_type = file->blob.type;
  response.file_path = file->path;
  response.headers.emplace_back("Content-Disposition", content_disposition(file->blob.name));
  response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  return response;
}

}  // namespace

void add_blob_routes(Router& router) {
  router.add_upload(Method::post, "/api/v1/blobs", upload);
  router.add(Method::get, "/api/v1/blobs/{id}", Execution::worker, download);
}

}  // namespace herald::api
