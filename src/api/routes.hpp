// Registration of each area's endpoints on the router.
#pragma once

namespace herald::api {

class Router;

void add_auth_routes(Router& router);
void add_user_routes(Router& router);
void add_group_routes(Router& router);
void add_directory_routes(Router& router);
void add_operations_routes(Router& router);
void add_message_routes(Router& router);
void add_folder_routes(Router& router);
void add_blob_routes(Router& router);
void add_notification_routes(Router& router);
void add_rule_routes(Router& router);
void add_live_routes(Router& router);
void add_device_routes(Router& router);
void add_notice_routes(Router& router);
void add_broadcast_routes(Router& router);

}  // namespace herald::api
