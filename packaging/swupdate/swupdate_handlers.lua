-- SPDX-License-Identifier: GPL-2.0
--
-- The Lua handlers SWUpdate registers at start, for an image whose only
-- Lua handler is qlink's; an image with its own swupdate_handlers.lua adds
-- the require line to it instead.
require("qlink_modem_handler")
