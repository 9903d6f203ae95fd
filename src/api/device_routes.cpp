// Push devices: GET /devices (the caller's; admins: ?user=, or ?all=true with ?q=), POST /devices,
// GET and DELETE /devices/{id}.
#include <boost/json/array.hpp>

#include "api/json_io.hpp"
#include "api/request_context.hpp"
#include "api/router.hpp"
#include "api/routes.hpp"
#include "common/time.hpp"
#include "store/store.hpp"

namespace herald::api {
namespace {

Error no_such_device() {
  return fail(errc::not_found, "no such device");
}

json::object device_json(const Device& device) {
  json::object out{{"id", id_string(device.id)},
                   {"user_id", id_string(device.user_id)},
                   {"platform", platform_name(device.platform)},
                   {"name", device.name}};
  out[device.platform == DevicePlatform::webpush ? "endpoint" : "token"] = device.address;
  out["created_at"] = format_rfc3339(device.created_at);
  return out;
}

json::object owned_device_json(const Device& device, std::string_view username,
                               std::string_view display_name) {
  json::object out = device_json(device);
  out["user"] = json::object{
      {"id", id_string(device.user_id)}, {"username", username}, {"display_name", display_name}};
  return out;
}

// Admins: every user's devices, searched by device name or owner's username.
ApiResponse search_devices(RequestContext& ctx, const Principal& caller, std::string_view prefix,
                           const PageRequest& page) {
  if (!caller.is_admin()) {
    return error_response(fail(errc::forbidden, "only admins list all devices"));
  }
  if (prefix.size() > 200) return error_response(fail(errc::bad_request, "q is too long"));
  auto devices = ctx.services().store.search_devices(prefix, page);
  json::array items;
  for (const auto& owned : devices.items) {
    items.push_back(owned_device_json(owned.device, owned.username, owned.display_name));
  }
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", cursor_json(devices.next_after)}});
}

// A Web Push registration carries the browser's PushSubscription as it serialises it:
// {"endpoint": ..., "keys": {"p256dh": ..., "auth": ...}}.
Result<void> read_webpush(const json::object& body, NewDevice& device) {
  if (auto fields = allow_only(body, {"platform", "name", "endpoint", "keys", "expirationTime"});
      !fields) {
    return fields.error();
  }
  auto endpoint = required_string(body, "endpoint");
  if (!endpoint) return endpoint.error();
  device.address = std::move(*endpoint);
  const auto* keys = body.if_contains("keys");
  if (!keys || !keys->is_object()) {
    return fail(errc::bad_request, "field 'keys' must be an object with p256dh and auth");
  }
  for (auto [name, target] : {std::pair{"p256dh", &device.p256dh}, {"auth", &device.auth}}) {
    auto value = required_string(keys->as_object(), name);
    if (!value) return value.error();
    *target = std::move(*value);
  }
  return {};
}

ApiResponse list_devices(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto query = ctx.query();
  if (!query) return error_response(query.error());
  auto page = ctx.page();
  if (!page) return error_response(page.error());
  if (auto all = (*query)->get("all"); all && *all == "true") {
    return search_devices(ctx, *caller, (*query)->get("q").value_or(""), *page);
  }
  Id user = caller->user_id;
  if (auto requested = (*query)->get("user")) {
    auto id = parse_id(*requested);
    if (!caller->is_admin() && id != caller->user_id) {
      return error_response(fail(errc::forbidden, "only admins list others' devices"));
    }
    if (!id) return error_response(fail(errc::not_found, "no such user"));
    user = *id;
  }
  auto devices = ctx.services().store.list_devices(user, *page);
  json::array items;
  for (const auto& device : devices.items) items.push_back(device_json(device));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"next_cursor", cursor_json(devices.next_after)}});
}

ApiResponse register_device(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  auto body = parse_object(ctx.request().body);
  if (!body) return error_response(body.error());
  auto platform_text = required_string(*body, "platform");
  if (!platform_text) return error_response(platform_text.error());
  auto platform = parse_platform(*platform_text);
  if (!platform) {
    return error_response(fail(errc::bad_request, "platform must be webpush, apns or fcm"));
  }
  NewDevice device;
  device.user_id = caller->user_id;
  device.platform = *platform;
  auto name = optional_string(*body, "name");
  if (!name) return error_response(name.error());
  device.name = name->value_or("");
  if (*platform == DevicePlatform::webpush) {
    if (auto read = read_webpush(*body, device); !read) return error_response(read.error());
  } else {
    if (auto fields = allow_only(*body, {"platform", "name", "token"}); !fields) {
      return error_response(fields.error());
    }
    auto token = required_string(*body, "token");
    if (!token) return error_response(token.error());
    device.address = std::move(*token);
  }
  if (auto valid = validate_device(device); !valid) return error_response(valid.error());
  auto saved = ctx.services().store.save_device(device);
  if (!saved) return error_response(saved.error());
  return json_response(saved->created ? 201 : 200, device_json(saved->device));
}

// The device named in the path, if the caller may see it: its user, or an admin.
Result<Device> visible_device(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return caller.error();
  auto id = parse_id(ctx.param(0));
  if (!id) return no_such_device();
  auto device = ctx.services().store.find_device(*id);
  if (!device || (!caller->is_admin() && device->user_id != caller->user_id)) {
    return no_such_device();
  }
  return std::move(*device);
}

ApiResponse get_device(RequestContext& ctx) {
  auto device = visible_device(ctx);
  if (!device) return error_response(device.error());
  auto owner = ctx.services().store.find_user(device->user_id);
  if (!owner) return error_response(no_such_device());
  return json_response(200, owned_device_json(*device, owner->username, owner->display_name));
}

ApiResponse remove_device(RequestContext& ctx) {
  auto device = visible_device(ctx);
  if (!device) return error_response(device.error());
  if (auto removed = ctx.services().store.delete_device(device->id); !removed) {
    return error_response(removed.error());
  }
  return no_content();
}

ApiResponse vapid_key(RequestContext& ctx) {
  auto caller = ctx.principal();
  if (!caller) return error_response(caller.error());
  return json_response(200, json::object{{"public_key", ctx.services().vapid_public_key}});
}

}  // namespace

void add_device_routes(Router& router) {
  router.add(Method::get, "/api/v1/push/vapid", Execution::io_thread, vapid_key);
  router.add(Method::get, "/api/v1/devices", Execution::io_thread, list_devices);
  router.add(Method::post, "/api/v1/devices", Execution::worker, register_device);
  router.add(Method::get, "/api/v1/devices/{id}", Execution::io_thread, get_device);
  router.add(Method::del, "/api/v1/devices/{id}", Execution::worker, remove_device);
}

}  // namespace herald::api
