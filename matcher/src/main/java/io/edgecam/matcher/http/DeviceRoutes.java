package io.edgecam.matcher.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgecam.matcher.auth.Role;
import io.edgecam.matcher.device.DeviceRegistry;
import io.edgecam.matcher.device.DeviceView;
import java.io.IOException;

/** {@code GET /api/devices}: every camera the status topics told about. */
final class DeviceRoutes {
  private final DeviceRegistry devices;

  DeviceRoutes(DeviceRegistry devices) {
    this.devices = devices;
  }

  void register(Router r) {
    r.add("GET", "/devices", Role.VIEWER, this::list);
  }

  private void list(Call call) throws IOException {
    String site = call.query("site");
    ObjectNode body = Json.object();
    ArrayNode list = body.putArray("devices");
    for (DeviceView d : devices.devices()) {
      if (site == null || site.equals(d.site())) {
        list.add(Views.device(d));
      }
    }
    body.put("rejectedStatusMessages", devices.rejected());
    call.json(200, body);
  }
}
