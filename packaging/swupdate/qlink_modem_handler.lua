-- SPDX-License-Identifier: GPL-2.0
--
-- SWUpdate Lua handler of type "qlink-modem": upgrades the LTE module's
-- firmware with `qlink fota`. Install in Lua's package.path (e.g.
-- /usr/share/lua/5.3/) and require("qlink_modem_handler") from the
-- swupdate_handlers.lua SWUpdate loads at start (packaging/swupdate has one
-- for images with no other Lua handlers). Each image of this type is staged in SWUpdate's temporary
-- directory; the one whose name ends in ".manifest" (list it last in
-- sw-description) runs `qlink fota --manifest` on what was staged, reports
-- its progress through SWUpdate's progress interface and fails the update
-- on any qlink failure. qlink's exit 7 (already at the target) is success.
--
-- Settings: /etc/qlink/fota-agent.conf (or $QLINK_FOTA_CONF), the file the
-- Mender module reads too: QLINK_PORT=..., QLINK_OPTS=..., QLINK_FOTA_OPTS=...,
-- QLINK=...; or the image's properties qlink-port, qlink-opts.

require("swupdate")

local function read_conf()
	local conf = { QLINK = "qlink", QLINK_PORT = "", QLINK_OPTS = "", QLINK_FOTA_OPTS = "" }
	local path = os.getenv("QLINK_FOTA_CONF") or "/etc/qlink/fota-agent.conf"
	local f = io.open(path, "r")
	if not f then
		return conf
	end
	for line in f:lines() do
		local k, v = line:match("^%s*([%w_]+)=(.*)$")
		if k and conf[k] ~= nil then
			conf[k] = v:gsub('^"(.*)"$', "%1"):gsub("^'(.*)'$", "%1")
		end
	end
	f:close()
	return conf
end

local function quote(s)
	return "'" .. tostring(s):gsub("'", "'\\''") .. "'"
end

local function qlink_modem(image)
	local stage = swupdate.tmpdir() .. "qlink-modem"
	local props = image.properties or {}
	local conf = read_conf()

	os.execute("mkdir -p " .. quote(stage))
	local path = stage .. "/" .. image.filename
	local err = image:copy2file(path)
	if err ~= 0 then
		swupdate.error("qlink-modem: cannot stage " .. image.filename)
		return 1
	end
	if not image.filename:match("%.manifest$") then
		swupdate.info("qlink-modem: staged " .. image.filename)
		return 0
	end
	local port = props["qlink-port"] or conf.QLINK_PORT
	if port == "" then
		swupdate.error("qlink-modem: no port: set QLINK_PORT in the qlink FOTA agent settings")
		return 1
	end
	local cmd = quote(conf.QLINK) .. " -p " .. quote(port) .. " " ..
		(props["qlink-opts"] or conf.QLINK_OPTS) .. " fota --manifest " .. quote(path) ..
		" --skip-if-current --yes --progress plain " .. conf.QLINK_FOTA_OPTS ..
		" 2>&1; echo qlink-exit=$?"
	swupdate.info("qlink-modem: " .. cmd)
	-- qlink's status as the shell saw it: SWUpdate's SIGCHLD handler reaps
	-- any child, so pclose() may find none left to report
	local p = io.popen(cmd, "r")
	local rc
	for line in p:lines() do
		local pct = line:match("^%a+ (%d+)")
		local status = line:match("^qlink%-exit=(%d+)$")
		if status then
			rc = tonumber(status)
		elseif pct then
			swupdate.progress_update(tonumber(pct))
		end
		if not status and (line:match("^done ") or not pct) then
			swupdate.info("qlink-modem: " .. line)
		end
	end
	p:close()
	if rc == 0 or rc == 7 then
		return 0
	end
	swupdate.error("qlink-modem: qlink fota failed (exit " .. tostring(rc) .. ")")
	return 1
end

swupdate.register_handler("qlink-modem", qlink_modem, swupdate.HANDLER_MASK.IMAGE_HANDLER)
