/**
 * Generated from GET /api/openapi.json by `npm run sdk:generate` (scripts/generate-sdk.ts). Do not edit.
 */

export interface paths {
    "/_/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the service tokens */
        get: operations["queryGetToken"];
        /** Update a service token by name; its value is rotated (fetch it again) */
        put: operations["querySetToken"];
        /** Create a service token (201, empty body; a taken name is ignored) */
        post: operations["queryPostToken"];
        /** Delete (revoke) a service token by name; an unknown name is not an error */
        delete: operations["queryDeleteToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/_/token/value": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The value of a service token, by name (audited) */
        get: operations["queryGetTokenValue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys of Tessera's JWTs (JWKS) */
        get: operations["getJwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/{version}/{controller}/{function}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * FileBin API (seed 001): user/apikeys, user/create_apikey, user/delete_apikey
         * @description POST fields (multipart or urlencoded): `apikey`; create_apikey: `username`+`password` (instead of apikey), `access_level` (basic|apikey|full = read|write|full), `comment` (≤ 255); delete_apikey: `delete_key` (a key or a tok_ id). Every error is 400 `{"status":"error","error_id","message"}`. See docs/compat.md.
         */
        get: operations["filebinGet"];
        /**
         * FileBin API (seed 001): user/apikeys, user/create_apikey, user/delete_apikey
         * @description POST fields (multipart or urlencoded): `apikey`; create_apikey: `username`+`password` (instead of apikey), `access_level` (basic|apikey|full = read|write|full), `comment` (≤ 255); delete_apikey: `delete_key` (a key or a tok_ id). Every error is 400 `{"status":"error","error_id","message"}`. See docs/compat.md.
         */
        put: operations["filebinPut"];
        /**
         * FileBin API (seed 001): user/apikeys, user/create_apikey, user/delete_apikey
         * @description POST fields (multipart or urlencoded): `apikey`; create_apikey: `username`+`password` (instead of apikey), `access_level` (basic|apikey|full = read|write|full), `comment` (≤ 255); delete_apikey: `delete_key` (a key or a tok_ id). Every error is 400 `{"status":"error","error_id","message"}`. See docs/compat.md.
         */
        post: operations["filebinPost"];
        /**
         * FileBin API (seed 001): user/apikeys, user/create_apikey, user/delete_apikey
         * @description POST fields (multipart or urlencoded): `apikey`; create_apikey: `username`+`password` (instead of apikey), `access_level` (basic|apikey|full = read|write|full), `comment` (≤ 255); delete_apikey: `delete_key` (a key or a tok_ id). Every error is 400 `{"status":"error","error_id","message"}`. See docs/compat.md.
         */
        delete: operations["filebinDelete"];
        /**
         * FileBin API (seed 001): user/apikeys, user/create_apikey, user/delete_apikey
         * @description POST fields (multipart or urlencoded): `apikey`; create_apikey: `username`+`password` (instead of apikey), `access_level` (basic|apikey|full = read|write|full), `comment` (≤ 255); delete_apikey: `delete_key` (a key or a tok_ id). Every error is 400 `{"status":"error","error_id","message"}`. See docs/compat.md.
         */
        options: operations["filebinOptions"];
        head?: never;
        /**
         * FileBin API (seed 001): user/apikeys, user/create_apikey, user/delete_apikey
         * @description POST fields (multipart or urlencoded): `apikey`; create_apikey: `username`+`password` (instead of apikey), `access_level` (basic|apikey|full = read|write|full), `comment` (≤ 255); delete_apikey: `delete_key` (a key or a tok_ id). Every error is 400 `{"status":"error","error_id","message"}`. See docs/compat.md.
         */
        patch: operations["filebinPatch"];
        trace?: never;
    };
    "/api/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Semaphore login metadata: how users may log in (password; no OIDC providers) */
        get: operations["semaphoreLoginAuth"];
        put?: never;
        /** Semaphore login: 204 and a session cookie; 401 on bad credentials */
        post: operations["semaphoreLoginAuth2"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Semaphore logout: ends the session (if any) and clears the cookie */
        post: operations["semaphoreLogoutAuth"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/project/{project_id}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Launch a task: run the command whose id is template_id, as the caller; 201 with the task */
        post: operations["semaphoreCreateProjectTask"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/project/{project_id}/tasks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One task (your own; admins any) */
        get: operations["semaphoreGetProjectTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/project/{project_id}/tasks/{id}/output": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A task's output, one entry per line */
        get: operations["semaphoreGetProjectTaskOutput"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Meshplay "Get Token": the provider name and a JWT for the caller ("" in single-user mode without a credential, as Meshplay's provider None) */
        get: operations["meshplayGetToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's API tokens, revoked ones included (newest first) */
        get: operations["semaphoreListUserTokens"];
        put?: never;
        /** Create an API token (full access, recoverable); 201 with the token */
        post: operations["semaphoreCreateUserToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/user/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Expire (revoke) one of the caller's tokens, named by value or tok_ id; it stays listed as expired */
        delete: operations["semaphoreDeleteUserToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first (admin) */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log as NDJSON, one event per line, newest first, streamed (admin); the same filters as the listing */
        get: operations["exportAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Check the audit log's hash chain (admin): the first row that was edited, removed or inserted */
        get: operations["verifyAuditChain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/forward": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After */
        get: operations["forwardAuthGet"];
        /** Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After */
        put: operations["forwardAuthPut"];
        /** Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After */
        post: operations["forwardAuthPost"];
        /** Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After */
        delete: operations["forwardAuthDelete"];
        /** Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After */
        options: operations["forwardAuthOptions"];
        /** Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After */
        head: operations["forwardAuthHead"];
        /** Forward-auth: 204 with X-Tessera-* headers (and RateLimit-* for a limited token), 401, 403, or 429 with Retry-After */
        patch: operations["forwardAuthPatch"];
        trace?: never;
    };
    "/api/v1/auth/forward/{profile}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode
         * @description Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 (429 → 403, 400 → 401); see docs/proxies/README.md.
         */
        get: operations["forwardAuthProfileGet"];
        /**
         * Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode
         * @description Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 (429 → 403, 400 → 401); see docs/proxies/README.md.
         */
        put: operations["forwardAuthProfilePut"];
        /**
         * Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode
         * @description Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 (429 → 403, 400 → 401); see docs/proxies/README.md.
         */
        post: operations["forwardAuthProfilePost"];
        /**
         * Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode
         * @description Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 (429 → 403, 400 → 401); see docs/proxies/README.md.
         */
        delete: operations["forwardAuthProfileDelete"];
        /**
         * Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode
         * @description Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 (429 → 403, 400 → 401); see docs/proxies/README.md.
         */
        options: operations["forwardAuthProfileOptions"];
        /**
         * Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode
         * @description Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 (429 → 403, 400 → 401); see docs/proxies/README.md.
         */
        head: operations["forwardAuthProfileHead"];
        /**
         * Forward-auth through a configured profile (forward_auth.profiles): the credential sources it reads, the access it needs, its status mode
         * @description Headers always present (empty when not applicable): X-Tessera-User, X-Tessera-User-Id, X-Tessera-Token-Id, X-Tessera-Access, X-Tessera-Error (the error code of a refusal). RateLimit-* and Retry-After for a token with limits. Mode `nginx`: every refusal is 401 or 403 (429 → 403, 400 → 401); see docs/proxies/README.md.
         */
        patch: operations["forwardAuthProfilePatch"];
        trace?: never;
    };
    "/api/v1/auth/jwt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange the caller's credential for a short-lived JWT (ES256)
         * @description Check it offline against /.well-known/jwks.json, or present it to Tessera like any token. Revoking the parent token, ending the parent session or disabling the user stops it at once on this server.
         */
        post: operations["createJwt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/jwt/keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the JWT signing key (admin)
         * @description A new key signs from now on (on every node within 10 s when nodes share PostgreSQL). The previous key stays published in /.well-known/jwks.json, and JWTs it signed stay valid, until they have expired. Answers key ids only, never key material.
         */
        post: operations["rotateJwtKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with a password; sets the session cookie */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the current session */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller: user and credential */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Channel names (any logged-in user) */
        get: operations["listChannels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{name}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A channel's messages, newest first */
        get: operations["listChannelMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/channels/{name}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Live messages as Server-Sent Events (event: message); resumes after Last-Event-ID */
        get: operations["streamChannel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run one chat command (token-new, tokens, token-revoke, help) in a direct conversation */
        post: operations["chat"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/chat/slack": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Slack slash command (signed with the app's signing secret); replies are ephemeral
         * @description Urlencoded body as Slack sends it (`text`, `user_name`, `channel_name`, …). The Slack user is the Tessera user with the same username; only `channel_name=directmessage` is a direct conversation. Off (404) without slack_signing_secret.
         */
        post: operations["chatSlack"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The commands the caller may run (admins: all) */
        get: operations["listCommands"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/commands/{name}/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a command as the caller; 202 with the job (its outcome is posted to the channel) */
        post: operations["runCommand"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What each group is granted (admin) */
        get: operations["listGroups"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/groups/{name}/grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set what a group's members are granted (admin); empty lists remove the grant */
        put: operations["setGroupGrants"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * RFC 7662 token introspection (service token or full-access caller)
         * @description Form body (application/x-www-form-urlencoded, as RFC 7662; a JSON object is taken too): `token`, optional `token_type_hint`. Works for API tokens and Tessera JWTs; never spends a use of the token. The caller authenticates with a service token or a token with full access (Bearer, or HTTP Basic with the token as password). See docs/introspection.md.
         */
        post: operations["introspectToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Jobs, newest first (own; admins all, or one user's with `user`) */
        get: operations["listJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job (own; admins any) */
        get: operations["getJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's output live as Server-Sent Events (event: output, then event: end with the job); own job, admins any */
        get: operations["streamJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leaks/github": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * GitHub secret scanning: leaked Tessera tokens are revoked; answers the feedback array
         * @description Signed by GitHub (Github-Public-Key-Identifier, Github-Public-Key-Signature); no credential. See docs/leaks.md.
         */
        post: operations["reportGithubLeaks"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The permission catalogue (for pickers; with permissions.strict, the only grantable ones) */
        get: operations["listPermissions"];
        put?: never;
        /** Define a permission (admin) */
        post: operations["createPermission"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/permissions/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a permission from the catalogue (admin); grants of it stay */
        delete: operations["deletePermission"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Roles: the built-in read, write, full and those admins defined */
        get: operations["listRoles"];
        put?: never;
        /** Define a role (admin) */
        post: operations["createRole"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/roles/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One role */
        get: operations["getRole"];
        put?: never;
        post?: never;
        /** Delete a role (admin); whoever carried it loses its permissions at once */
        delete: operations["deleteRole"];
        options?: never;
        head?: never;
        /** Change a role (admin); tokens and users carrying it change at once */
        patch: operations["updateRole"];
        trace?: never;
    };
    "/api/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tokens (own; admins may filter by owner and kind) */
        get: operations["listTokens"];
        put?: never;
        /** Create a token; its value is in this response only (unless recoverable) */
        post: operations["createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show one token */
        get: operations["getToken"];
        put?: never;
        post?: never;
        /** Revoke a token (it stays listed as revoked); ?purge=true removes it (admins) */
        delete: operations["deleteToken"];
        options?: never;
        head?: never;
        /** Change name, comment, access, active flag, expiry, metadata or limits (null removes a limit) */
        patch: operations["updateToken"];
        trace?: never;
    };
    "/api/v1/tokens/{id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new value; the old one works for grace_seconds more (default 0) */
        post: operations["rotateToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/{id}/value": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The value of a recoverable token (audited) */
        get: operations["getTokenValue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create up to 1000 tokens at once, all or nothing; their values are in this response only
         * @description Each item follows the rules of POST /api/v1/tokens (who may create what, policy, permissions, the per-user quota counting the batch). The first refused item refuses the whole batch: its index is in the error's field (`tokens[3].expires_at`).
         */
        post: operations["postTokensBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import tokens exported from another product, keeping their values (admin); one call is one transaction
         * @description Rows as the product stores them (docs/migrate.md): FileBin `apikeys`, Semaphore `user__token`, Meeseeks token records, Query `_config_token`/`_config_user_token`, or the generic columns (csv/json). Values are hashed on the way in; a row may give only the SHA-256 `hash`. A row already imported (same hash) is skipped. Every row not imported is reported with its line and reason.
         */
        post: operations["postTokensImport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke every live token matching a filter (admin); dry_run lists what would stop working */
        post: operations["revokeTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/tokens/revoke-by-value": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke a token by its value; no credential needed (whoever holds a leaked value may kill it)
         * @description The answer is the same whether the value was a live token or not. At most 30 requests a minute from one address (429 with Retry-After).
         */
        post: operations["revokeTokenByValue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users (admin) */
        get: operations["listUsers"];
        put?: never;
        /** Create a user (admin) */
        post: operations["createUser"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show a user (admin) */
        get: operations["getUser"];
        put?: never;
        post?: never;
        /** Delete a user with their tokens and sessions (admin) */
        delete: operations["deleteUser"];
        options?: never;
        head?: never;
        /** Change a user (admin); disabling stops all their tokens at once */
        patch: operations["updateUser"];
        trace?: never;
    };
    "/api/v1/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a token. Always 200: `valid` and `code` say what was found
         * @description Who may call it is set by `verify_policy` (now: any).
         */
        post: operations["verifyToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/verify/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Invalidations as Server-Sent Events (event: state {caching}, event: invalidate {kind, id}); service tokens and admins
         * @description For local verifiers (the SDK): drop cached answers for `token` (token id), `user` (every token of that user id), `hash` (SHA-256 hex of a value), `all`; do not cache while the last `state` said `caching: false`.
         */
        get: operations["streamVerifyEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Registered webhooks (admin); never their secrets */
        get: operations["listWebhooks"];
        put?: never;
        /** Register a webhook (admin); the answer shows its signing secret once */
        post: operations["createWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook (admin) */
        get: operations["getWebhook"];
        put?: never;
        post?: never;
        /** Remove a webhook and its delivery log (admin) */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        /** Change a webhook (admin); `rotate_secret: true` makes a new secret, shown once */
        patch: operations["updateWebhook"];
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log of a webhook, newest first: status and each attempt (admin) */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries/{delivery}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery's event again, as a new delivery due now (admin) */
        post: operations["postWebhookDeliveryRedeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The process is up */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/message": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Run the command a command-bound token is bound to (Meeseeks POST /message, any method)
         * @description Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split like a shell line and appended to the token's arguments if the command allows extra arguments. A JSON Alertmanager notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); a refusal at run time (permission, arguments) is a `rejected` job posted to the token's channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).
         */
        get: operations["meeseeksMessageGet"];
        /**
         * Run the command a command-bound token is bound to (Meeseeks POST /message, any method)
         * @description Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split like a shell line and appended to the token's arguments if the command allows extra arguments. A JSON Alertmanager notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); a refusal at run time (permission, arguments) is a `rejected` job posted to the token's channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).
         */
        put: operations["meeseeksMessagePut"];
        /**
         * Run the command a command-bound token is bound to (Meeseeks POST /message, any method)
         * @description Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split like a shell line and appended to the token's arguments if the command allows extra arguments. A JSON Alertmanager notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); a refusal at run time (permission, arguments) is a `rejected` job posted to the token's channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).
         */
        post: operations["meeseeksMessagePost"];
        /**
         * Run the command a command-bound token is bound to (Meeseeks POST /message, any method)
         * @description Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split like a shell line and appended to the token's arguments if the command allows extra arguments. A JSON Alertmanager notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); a refusal at run time (permission, arguments) is a `rejected` job posted to the token's channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).
         */
        delete: operations["meeseeksMessageDelete"];
        /**
         * Run the command a command-bound token is bound to (Meeseeks POST /message, any method)
         * @description Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split like a shell line and appended to the token's arguments if the command allows extra arguments. A JSON Alertmanager notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); a refusal at run time (permission, arguments) is a `rejected` job posted to the token's channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).
         */
        options: operations["meeseeksMessageOptions"];
        /**
         * Run the command a command-bound token is bound to (Meeseeks POST /message, any method)
         * @description Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split like a shell line and appended to the token's arguments if the command allows extra arguments. A JSON Alertmanager notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); a refusal at run time (permission, arguments) is a `rejected` job posted to the token's channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).
         */
        head: operations["meeseeksMessageHead"];
        /**
         * Run the command a command-bound token is bound to (Meeseeks POST /message, any method)
         * @description Header `TOKEN: <token>` (or `Authorization: Bearer`). Optional `message` (form field, JSON field or query) is split like a shell line and appended to the token's arguments if the command allows extra arguments. A JSON Alertmanager notification (version 4) gives the command ALERT_* environment variables (docs/chat.md). 202 with the job id, or with an empty body when the token is a UUID (as Meeseeks answers; setting `message.accepted_body`); a refusal at run time (permission, arguments) is a `rejected` job posted to the token's channel (and, with `message.refusal_status: 403`, a 403 FORBIDDEN).
         */
        patch: operations["meeseeksMessagePatch"];
        trace?: never;
    };
    "/provider": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Meshplay's provider page: redirects to the web UI, where you log in */
        get: operations["meshplayGetProvider"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The store is reachable */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** User */
        "def-0": {
            /** Format: date-time */
            created_at: string;
            disabled: boolean;
            email: string | null;
            groups: string[];
            id: number;
            /** @description permissions granted to the user directly */
            permissions: string[];
            role: "admin" | "user";
            /** @description roles granted to the user directly (groups may grant more) */
            roles: string[];
            /** Format: date-time */
            updated_at: string;
            username: string;
        };
        /** Token */
        "def-1": {
            /** @description read < write < full; only full may manage tokens */
            access: "read" | "write" | "full";
            active: boolean;
            /** @description client addresses the token works from (CIDR); empty = anywhere */
            allowed_cidrs: string[];
            binding?: {
                args: string[];
                channel: string;
                command: string;
            };
            comment: string;
            /** Format: date-time */
            created_at: string;
            /** @description what the token grants now: its access level's role, its roles and permissions, limited to what its owner holds now */
            effective_permissions: string[];
            expires_at: string | null;
            id: string;
            /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
            kind: "personal" | "service" | "bound";
            last_used_at: string | null;
            /** @description the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown */
            last_used_from?: {
                /** Format: date-time */
                at: string;
                ip: string;
            }[];
            metadata: {
                [key: string]: unknown;
            } | null;
            name: string | null;
            owner: {
                id: number;
                username: string | null;
            } | null;
            /** @description permissions given to the token (a personal token grants only those its owner holds at use) */
            permissions: string[];
            /** @description the first characters of the value, to recognise it; not usable as a credential */
            prefix: string;
            rate_limit: {
                limit: number;
                window_seconds: number;
            } | null;
            recoverable: boolean;
            /** @description next_at: when remaining is next set back to amount */
            refill: {
                amount: number;
                interval_seconds: number;
                next_at: string | null;
            } | null;
            /** @description uses left (a refill that is due is counted); null = unlimited */
            remaining: number | null;
            revoked_at: string | null;
            /** @description roles given to the token, besides its access level */
            roles: string[];
            status: "active" | "inactive" | "expired" | "revoked";
            /** Format: date-time */
            updated_at: string;
            use_count: number;
        };
        /** TokenWithValue */
        "def-2": {
            /** @description read < write < full; only full may manage tokens */
            access: "read" | "write" | "full";
            active: boolean;
            /** @description client addresses the token works from (CIDR); empty = anywhere */
            allowed_cidrs: string[];
            binding?: {
                args: string[];
                channel: string;
                command: string;
            };
            comment: string;
            /** Format: date-time */
            created_at: string;
            /** @description what the token grants now: its access level's role, its roles and permissions, limited to what its owner holds now */
            effective_permissions: string[];
            expires_at: string | null;
            id: string;
            /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
            kind: "personal" | "service" | "bound";
            last_used_at: string | null;
            /** @description the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown */
            last_used_from?: {
                /** Format: date-time */
                at: string;
                ip: string;
            }[];
            metadata: {
                [key: string]: unknown;
            } | null;
            name: string | null;
            owner: {
                id: number;
                username: string | null;
            } | null;
            /** @description permissions given to the token (a personal token grants only those its owner holds at use) */
            permissions: string[];
            /** @description the first characters of the value, to recognise it; not usable as a credential */
            prefix: string;
            rate_limit: {
                limit: number;
                window_seconds: number;
            } | null;
            recoverable: boolean;
            /** @description next_at: when remaining is next set back to amount */
            refill: {
                amount: number;
                interval_seconds: number;
                next_at: string | null;
            } | null;
            /** @description uses left (a refill that is due is counted); null = unlimited */
            remaining: number | null;
            revoked_at: string | null;
            /** @description roles given to the token, besides its access level */
            roles: string[];
            status: "active" | "inactive" | "expired" | "revoked";
            /** @description the token value */
            token: string;
            /** Format: date-time */
            updated_at: string;
            use_count: number;
        };
        /** PermissionDef */
        "def-3": {
            /** Format: date-time */
            created_at: string;
            description: string;
            name: string;
        };
        /** RoleDef */
        "def-4": {
            /** @description read, write and full are built in: the access levels */
            builtin: boolean;
            description: string;
            /** @description tokens carrying this role may not live longer (policy) */
            max_lifetime_seconds: number | null;
            name: string;
            permissions: string[];
        };
        /** GroupGrant */
        "def-5": {
            group: string;
            permissions: string[];
            roles: string[];
        };
        /** AuditEvent */
        "def-6": {
            action: string;
            actor: {
                id: string | null;
                name: string | null;
                type: string;
            };
            /** Format: date-time */
            at: string;
            details: {
                [key: string]: unknown;
            } | null;
            id: number;
            ip: string | null;
            request_id: string | null;
            target: {
                id: string;
                type: string | null;
            } | null;
        };
        /** Command */
        "def-7": {
            /** @description what callers may append */
            args: "none" | "any" | {
                pattern: string;
            };
            argv: string[];
            /** @description where outcomes go by default */
            channel: string;
            description: string | null;
            groups: string[];
            /** @description Semaphore template_id */
            id: number;
            name: string;
            /** @description seconds */
            timeout: number;
        };
        /** Job */
        "def-8": {
            /** @description the extra arguments appended to the configured argv */
            args: string[];
            channel: string;
            command: string;
            /** @description the command's configured id (Semaphore template_id) */
            command_id: number | null;
            ended_at: string | null;
            exit_code: number | null;
            id: number;
            /** @description the server node that ran it (config `node_id`); null when it never ran */
            node: string | null;
            /** @description stdout and stderr combined, up to the command's output cap */
            output: string;
            /** @description why it was rejected, timed out, or failed without an exit code */
            reason: string | null;
            /** Format: date-time */
            started_at: string;
            status: "running" | "succeeded" | "failed" | "rejected" | "timed_out";
            token_id: string | null;
            trigger: "api" | "token" | "chat" | "task";
            /** @description the output was longer than the cap and was cut */
            truncated: boolean;
            user: {
                id: number;
                username: string | null;
            } | null;
        };
        /** ChannelMessage */
        "def-9": {
            /** Format: date-time */
            at: string;
            channel: string;
            id: number;
            job_id: number | null;
            text: string;
        };
        /** Webhook */
        "def-10": {
            active: boolean;
            /** Format: date-time */
            created_at: string;
            description: string;
            events: ("token.created" | "token.updated" | "token.rotated" | "token.revoked" | "token.expiring" | "token.expired" | "token.usage_exhausted" | "token.leaked" | "user.disabled" | "job.finished")[];
            id: string;
            /** Format: date-time */
            updated_at: string;
            url: string;
        };
        /** WebhookDelivery */
        "def-11": {
            attempts: number;
            /** Format: date-time */
            created_at: string;
            /** @description the webhook-id header: the same on every attempt and redelivery */
            event_id: string;
            /**
             * @description event type (docs/webhooks.md)
             * @enum {string}
             */
            event_type: "token.created" | "token.updated" | "token.rotated" | "token.revoked" | "token.expiring" | "token.expired" | "token.usage_exhausted" | "token.leaked" | "user.disabled" | "job.finished";
            id: number;
            last_error: string | null;
            last_status_code: number | null;
            log: {
                /** Format: date-time */
                at: string;
                attempt: number;
                duration_ms: number;
                error: string | null;
                status_code: number | null;
            }[];
            next_attempt_at: string | null;
            status: "pending" | "delivered" | "failed";
            /** Format: date-time */
            updated_at: string;
            webhook_id: string;
        };
        /** @description The error envelope. `code` is from docs/errors.md. */
        Error: {
            error: {
                /** @description a code from docs/errors.md */
                code: string;
                /** @description the input field the error is about (e.g. `name`, `rate_limit.limit`), when it is about one */
                field?: string;
                message: string;
                request_id: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    queryGetToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            active: number;
                            created_at: number;
                            expiration_date: number;
                            id: string;
                            name: string;
                            /** @description display prefix only; the value is at /_/token/value */
                            token: string;
                            updated_at: number;
                            write: number;
                        }[];
                    };
                };
            };
            /** @description the problem, as plain text */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description not found, as plain text */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description the body is too large, as plain text */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    querySetToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description default true */
                    active?: boolean;
                    /** @description milliseconds since the epoch (below 10^11: seconds); default never */
                    expiration_date?: number;
                    /** @description the token's unique name */
                    name: string;
                    /** @description default true; false = read-only */
                    write?: boolean;
                };
            };
        };
        responses: {
            /** @description empty body */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description the problem, as plain text */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description not found, as plain text */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description the body is too large, as plain text */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    queryPostToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description default true */
                    active?: boolean;
                    /** @description milliseconds since the epoch (below 10^11: seconds); default never */
                    expiration_date?: number;
                    /** @description the token's unique name */
                    name: string;
                    /** @description default true; false = read-only */
                    write?: boolean;
                };
            };
        };
        responses: {
            /** @description empty body */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description the problem, as plain text */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description not found, as plain text */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description the body is too large, as plain text */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    queryDeleteToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description empty body */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description the problem, as plain text */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description not found, as plain text */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description the body is too large, as plain text */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    queryGetTokenValue: {
        parameters: {
            query: {
                name: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            token: string;
                        }[];
                    };
                };
            };
            /** @description the problem, as plain text */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description not found, as plain text */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description the body is too large, as plain text */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getJwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            [key: string]: unknown;
                        }[];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    filebinGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                controller: string;
                function: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: unknown;
                        /** @enum {string} */
                        status: "success";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_id: string;
                        message: string;
                        /** @enum {string} */
                        status: "error";
                    };
                };
            };
        };
    };
    filebinPut: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                controller: string;
                function: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: unknown;
                        /** @enum {string} */
                        status: "success";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_id: string;
                        message: string;
                        /** @enum {string} */
                        status: "error";
                    };
                };
            };
        };
    };
    filebinPost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                controller: string;
                function: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: unknown;
                        /** @enum {string} */
                        status: "success";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_id: string;
                        message: string;
                        /** @enum {string} */
                        status: "error";
                    };
                };
            };
        };
    };
    filebinDelete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                controller: string;
                function: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: unknown;
                        /** @enum {string} */
                        status: "success";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_id: string;
                        message: string;
                        /** @enum {string} */
                        status: "error";
                    };
                };
            };
        };
    };
    filebinOptions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                controller: string;
                function: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: unknown;
                        /** @enum {string} */
                        status: "success";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_id: string;
                        message: string;
                        /** @enum {string} */
                        status: "error";
                    };
                };
            };
        };
    };
    filebinPatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                controller: string;
                function: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: unknown;
                        /** @enum {string} */
                        status: "success";
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error_id: string;
                        message: string;
                        /** @enum {string} */
                        status: "error";
                    };
                };
            };
        };
    };
    semaphoreLoginAuth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description no second factor: empty */
                        auth_methods: Record<string, never>;
                        /** @description always true */
                        login_with_password: boolean;
                        /** @description always empty: Tessera has no OIDC login */
                        oidc_providers: {
                            color: string;
                            icon: string;
                            id: string;
                            name: string;
                        }[];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    semaphoreLoginAuth2: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description username or email */
                    auth: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description empty body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    semaphoreLogoutAuth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description empty body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    semaphoreCreateProjectTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                project_id: string;
            };
            cookie?: never;
        };
        /** @description Semaphore's other task fields are accepted and ignored */
        requestBody: {
            content: {
                "application/json": {
                    template_id: number;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created: string;
                        end: string | null;
                        id: number;
                        message: string;
                        project_id: number;
                        start: string | null;
                        /** @description waiting, running, success or error */
                        status: string;
                        template_id: number;
                        user_id: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
        };
    };
    semaphoreGetProjectTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created: string;
                        end: string | null;
                        id: number;
                        message: string;
                        project_id: number;
                        start: string | null;
                        /** @description waiting, running, success or error */
                        status: string;
                        template_id: number;
                        user_id: number | null;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    semaphoreGetProjectTaskOutput: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        output: string;
                        task_id: number;
                        /** Format: date-time */
                        time: string;
                    }[];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    meshplayGetToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        "meshplay-provider": string;
                        token: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    semaphoreListUserTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created: string;
                        /** @description revoked, expired or switched off */
                        expired: boolean;
                        /** @description the token value (recoverable tokens) or its tok_ id */
                        id: string;
                        user_id: number;
                    }[];
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    semaphoreCreateUserToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description RFC 3339, in the future; null or absent: never */
                    expires_at?: string | null;
                    /** @description Semaphore ≥ 2.18 */
                    name?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created: string;
                        /** @description revoked, expired or switched off */
                        expired: boolean;
                        /** @description the token value (recoverable tokens) or its tok_ id */
                        id: string;
                        user_id: number;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description a token of this name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
        };
    };
    semaphoreDeleteUserToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description empty body */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: string;
                    };
                };
            };
            /** @description empty body */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description empty body */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                /** @description exact action, or a prefix ending in "." (e.g. token.) */
                action?: string;
                /** @description actor id: a user id or a token id */
                actor?: string;
                cursor?: string;
                limit?: number;
                since?: string;
                /** @description target id: a user id or a token id */
                target?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-6"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportAudit: {
        parameters: {
            query?: {
                action?: string;
                actor?: string;
                since?: string;
                target?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description one audit event (as in the listing) per line */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyAuditChain: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description rows whose link was checked */
                        checked: number;
                        first_broken: {
                            id: number;
                            reason: string;
                        } | null;
                        ok: boolean;
                        /** @description the oldest rows, written before the chain began (an upgrade from a version without it): no link covers them, so an edit or removal among them is not found */
                        unchained: number;
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthGet: {
        parameters: {
            query?: {
                /** @description read < write < full; only full may manage tokens */
                access?: "read" | "write" | "full";
                /** @description a permission the credential must grant; repeat it to require several (all of them) */
                permission?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthPut: {
        parameters: {
            query?: {
                /** @description read < write < full; only full may manage tokens */
                access?: "read" | "write" | "full";
                /** @description a permission the credential must grant; repeat it to require several (all of them) */
                permission?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthPost: {
        parameters: {
            query?: {
                /** @description read < write < full; only full may manage tokens */
                access?: "read" | "write" | "full";
                /** @description a permission the credential must grant; repeat it to require several (all of them) */
                permission?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthDelete: {
        parameters: {
            query?: {
                /** @description read < write < full; only full may manage tokens */
                access?: "read" | "write" | "full";
                /** @description a permission the credential must grant; repeat it to require several (all of them) */
                permission?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthOptions: {
        parameters: {
            query?: {
                /** @description read < write < full; only full may manage tokens */
                access?: "read" | "write" | "full";
                /** @description a permission the credential must grant; repeat it to require several (all of them) */
                permission?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthHead: {
        parameters: {
            query?: {
                /** @description read < write < full; only full may manage tokens */
                access?: "read" | "write" | "full";
                /** @description a permission the credential must grant; repeat it to require several (all of them) */
                permission?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthPatch: {
        parameters: {
            query?: {
                /** @description read < write < full; only full may manage tokens */
                access?: "read" | "write" | "full";
                /** @description a permission the credential must grant; repeat it to require several (all of them) */
                permission?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthProfileGet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profile: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthProfilePut: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profile: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthProfilePost: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profile: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthProfileDelete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profile: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthProfileOptions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profile: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthProfileHead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profile: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    forwardAuthProfilePatch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profile: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createJwt: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description the access level of the JWT; at most the caller's own (a higher one is lowered to it) */
                    access?: "read" | "write" | "full";
                    /** @description down-scoping: the JWT carries only these (each must be granted by the caller) as its `scope` claim */
                    permissions?: string[];
                    /** @description lifetime; default and maximum are configured (jwt.ttl_seconds, jwt.max_ttl_seconds) */
                    ttl_seconds?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read < write < full; only full may manage tokens */
                        access: "read" | "write" | "full";
                        /** Format: date-time */
                        expires_at: string;
                        /** @description the JWT's `scope` claim: its permissions, space-separated */
                        scope: string | null;
                        token: string;
                        /** @enum {string} */
                        token_type: "Bearer";
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateJwtKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description id of the new signing key */
                        kid: string;
                        /** @description ids of every key now in the JWKS, the new one first */
                        published_kids: string[];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    username: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        user: components["schemas"]["def-0"];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        credential: {
                            /** @description read < write < full; only full may manage tokens */
                            access: "read" | "write" | "full";
                            /** @description the credential was a Tessera JWT derived from this token or session */
                            jwt: boolean;
                            token_id: string | null;
                            /** @description user = single-user mode (provider none) */
                            type: "session" | "token" | "user";
                        };
                        user: components["schemas"]["def-0"] | null;
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listChannels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            /** @description has a webhook (its URL is not shown) */
                            webhook: boolean;
                        }[];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listChannelMessages: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-9"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamChannel: {
        parameters: {
            query?: {
                last_event_id?: number;
            };
            header?: {
                "last-event-id"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the channel's messages as they are posted */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chat: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the chat line, e.g. token-new @alice #ops restart web */
                    text: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                        reply: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    chatSlack: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        response_type: "ephemeral";
                        text: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listCommands: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-7"][];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    runCommand: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description appended to the configured argv as separate arguments (never through a shell) */
                    args?: string[];
                    channel?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the extra arguments appended to the configured argv */
                        args: string[];
                        channel: string;
                        command: string;
                        /** @description the command's configured id (Semaphore template_id) */
                        command_id: number | null;
                        ended_at: string | null;
                        exit_code: number | null;
                        id: number;
                        /** @description the server node that ran it (config `node_id`); null when it never ran */
                        node: string | null;
                        /** @description stdout and stderr combined, up to the command's output cap */
                        output: string;
                        /** @description why it was rejected, timed out, or failed without an exit code */
                        reason: string | null;
                        /** Format: date-time */
                        started_at: string;
                        status: "running" | "succeeded" | "failed" | "rejected" | "timed_out";
                        token_id: string | null;
                        trigger: "api" | "token" | "chat" | "task";
                        /** @description the output was longer than the cap and was cut */
                        truncated: boolean;
                        user: {
                            id: number;
                            username: string | null;
                        } | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listGroups: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-5"][];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    setGroupGrants: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    permissions: string[];
                    roles: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        group: string;
                        permissions: string[];
                        roles: string[];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    introspectToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    token_type_hint?: string;
                } & {
                    [key: string]: unknown;
                };
                "application/x-www-form-urlencoded": {
                    token: string;
                    token_type_hint?: string;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description RFC 7662 §2.2. An inactive (unknown, expired, revoked, disabled, spent) token is `{"active": false}` and nothing else */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        active: boolean;
                        /** @description the token id (for a JWT: its parent token's id, absent for a session or user JWT) */
                        client_id?: string;
                        /** @description seconds since the epoch; absent for a token that does not expire */
                        exp?: number;
                        iat?: number;
                        /** @description config jwt.issuer */
                        iss?: string;
                        /** @description the token id, or the JWT's jti */
                        jti?: string;
                        /** @description the token's access level (read, write or full) */
                        scope?: string;
                        /** @description the owner's user id, or token:<id> for a token without owner */
                        sub?: string;
                        /** @enum {string} */
                        token_type?: "Bearer";
                        /** @description the owner's username (absent for a token without owner) */
                        username?: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listJobs: {
        parameters: {
            query?: {
                command?: string;
                cursor?: string;
                limit?: number;
                status?: "running" | "succeeded" | "failed" | "rejected" | "timed_out";
                /** @description admins: a user id or username */
                user?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-8"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the extra arguments appended to the configured argv */
                        args: string[];
                        channel: string;
                        command: string;
                        /** @description the command's configured id (Semaphore template_id) */
                        command_id: number | null;
                        ended_at: string | null;
                        exit_code: number | null;
                        id: number;
                        /** @description the server node that ran it (config `node_id`); null when it never ran */
                        node: string | null;
                        /** @description stdout and stderr combined, up to the command's output cap */
                        output: string;
                        /** @description why it was rejected, timed out, or failed without an exit code */
                        reason: string | null;
                        /** Format: date-time */
                        started_at: string;
                        status: "running" | "succeeded" | "failed" | "rejected" | "timed_out";
                        token_id: string | null;
                        trigger: "api" | "token" | "chat" | "task";
                        /** @description the output was longer than the cap and was cut */
                        truncated: boolean;
                        user: {
                            id: number;
                            username: string | null;
                        } | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamJob: {
        parameters: {
            query?: never;
            header?: {
                /** @description resume: the output from this character on */
                "last-event-id"?: string;
            };
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the job's output and its end */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's credential: INSUFFICIENT_ACCESS, IP_NOT_ALLOWED, TOKEN_BOUND, CSRF_REJECTED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportGithubLeaks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": ({
                    source?: string;
                    token: string;
                    type?: string;
                    url?: string;
                } & {
                    [key: string]: unknown;
                })[];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        label: "true_positive" | "false_positive";
                        token_hash: string;
                        token_type: string;
                    }[];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPermissions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-3"][];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPermission: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string;
                        name: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePermission: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRoles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-4"][];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createRole: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    max_lifetime_seconds?: number | null;
                    name: string;
                    permissions: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read, write and full are built in: the access levels */
                        builtin: boolean;
                        description: string;
                        /** @description tokens carrying this role may not live longer (policy) */
                        max_lifetime_seconds: number | null;
                        name: string;
                        permissions: string[];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read, write and full are built in: the access levels */
                        builtin: boolean;
                        description: string;
                        /** @description tokens carrying this role may not live longer (policy) */
                        max_lifetime_seconds: number | null;
                        name: string;
                        permissions: string[];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    max_lifetime_seconds?: number | null;
                    permissions?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read, write and full are built in: the access levels */
                        builtin: boolean;
                        description: string;
                        /** @description tokens carrying this role may not live longer (policy) */
                        max_lifetime_seconds: number | null;
                        name: string;
                        permissions: string[];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTokens: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                kind?: "personal" | "service" | "bound";
                limit?: number;
                /** @description admins: a user id, a username, or * for all owners */
                owner?: string;
                status?: "active" | "inactive" | "expired" | "revoked";
                /** @description only live tokens the configured tokens.policy would refuse now (no expiry, or too long a lifetime) */
                violates_policy?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-1"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description read < write < full; only full may manage tokens */
                    access?: "read" | "write" | "full";
                    active?: boolean;
                    /** @description client addresses the token works from (10.0.0.0/8, 2001:db8::/32); empty = anywhere */
                    allowed_cidrs?: string[];
                    comment?: string;
                    /**
                     * Format: date-time
                     * @description RFC 3339, in the future
                     */
                    expires_at?: string;
                    /** @description seconds from now */
                    expires_in?: number;
                    /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                    kind?: "personal" | "service" | "bound";
                    /** @description free JSON object, at most 4096 bytes */
                    metadata?: {
                        [key: string]: unknown;
                    };
                    /** @description unique among the owner's live tokens; required for service tokens */
                    name?: string;
                    /** @description admins: issue a personal token owned by this user (username or id); audited */
                    owner?: string;
                    /** @description permissions (`deploy:write`, `deploy:*`); a personal token may carry only what its owner holds */
                    permissions?: string[];
                    /** @description rate limit: beyond `limit` verifications per window the token answers RATE_LIMITED (429 with Retry-After); counted per node, or across nodes with redis_url */
                    rate_limit?: {
                        /** @description verifications allowed per window */
                        limit: number;
                        /** @description length of the fixed window, which starts at its first request */
                        window_seconds: number;
                    };
                    /** @description keep an encrypted copy so GET /value can show it again */
                    recoverable?: boolean;
                    /** @description refills the usage limit every interval (needs remaining) */
                    refill?: {
                        /** @description remaining is set back to this at each refill */
                        amount: number;
                        /** @description seconds between refills; the first period starts when the refill is set */
                        interval_seconds: number;
                    };
                    /** @description usage limit: uses left. Each successful verification of the token (POST /api/v1/verify, forward-auth, or any request it authenticates) takes one, atomically and exactly, on every node; at 0 the token answers USAGE_EXCEEDED. Absent or null: unlimited */
                    remaining?: number;
                    /** @description roles (GET /api/v1/roles) */
                    roles?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read < write < full; only full may manage tokens */
                        access: "read" | "write" | "full";
                        active: boolean;
                        /** @description client addresses the token works from (CIDR); empty = anywhere */
                        allowed_cidrs: string[];
                        binding?: {
                            args: string[];
                            channel: string;
                            command: string;
                        };
                        comment: string;
                        /** Format: date-time */
                        created_at: string;
                        /** @description what the token grants now: its access level's role, its roles and permissions, limited to what its owner holds now */
                        effective_permissions: string[];
                        expires_at: string | null;
                        id: string;
                        /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                        kind: "personal" | "service" | "bound";
                        last_used_at: string | null;
                        /** @description the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown */
                        last_used_from?: {
                            /** Format: date-time */
                            at: string;
                            ip: string;
                        }[];
                        metadata: {
                            [key: string]: unknown;
                        } | null;
                        name: string | null;
                        owner: {
                            id: number;
                            username: string | null;
                        } | null;
                        /** @description permissions given to the token (a personal token grants only those its owner holds at use) */
                        permissions: string[];
                        /** @description the first characters of the value, to recognise it; not usable as a credential */
                        prefix: string;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        recoverable: boolean;
                        /** @description next_at: when remaining is next set back to amount */
                        refill: {
                            amount: number;
                            interval_seconds: number;
                            next_at: string | null;
                        } | null;
                        /** @description uses left (a refill that is due is counted); null = unlimited */
                        remaining: number | null;
                        revoked_at: string | null;
                        /** @description roles given to the token, besides its access level */
                        roles: string[];
                        status: "active" | "inactive" | "expired" | "revoked";
                        /** @description the token value */
                        token: string;
                        /** Format: date-time */
                        updated_at: string;
                        use_count: number;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read < write < full; only full may manage tokens */
                        access: "read" | "write" | "full";
                        active: boolean;
                        /** @description client addresses the token works from (CIDR); empty = anywhere */
                        allowed_cidrs: string[];
                        binding?: {
                            args: string[];
                            channel: string;
                            command: string;
                        };
                        comment: string;
                        /** Format: date-time */
                        created_at: string;
                        /** @description what the token grants now: its access level's role, its roles and permissions, limited to what its owner holds now */
                        effective_permissions: string[];
                        expires_at: string | null;
                        id: string;
                        /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                        kind: "personal" | "service" | "bound";
                        last_used_at: string | null;
                        /** @description the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown */
                        last_used_from?: {
                            /** Format: date-time */
                            at: string;
                            ip: string;
                        }[];
                        metadata: {
                            [key: string]: unknown;
                        } | null;
                        name: string | null;
                        owner: {
                            id: number;
                            username: string | null;
                        } | null;
                        /** @description permissions given to the token (a personal token grants only those its owner holds at use) */
                        permissions: string[];
                        /** @description the first characters of the value, to recognise it; not usable as a credential */
                        prefix: string;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        recoverable: boolean;
                        /** @description next_at: when remaining is next set back to amount */
                        refill: {
                            amount: number;
                            interval_seconds: number;
                            next_at: string | null;
                        } | null;
                        /** @description uses left (a refill that is due is counted); null = unlimited */
                        remaining: number | null;
                        revoked_at: string | null;
                        /** @description roles given to the token, besides its access level */
                        roles: string[];
                        status: "active" | "inactive" | "expired" | "revoked";
                        /** Format: date-time */
                        updated_at: string;
                        use_count: number;
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteToken: {
        parameters: {
            query?: {
                purge?: boolean;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read < write < full; only full may manage tokens */
                        access: "read" | "write" | "full";
                        active: boolean;
                        /** @description client addresses the token works from (CIDR); empty = anywhere */
                        allowed_cidrs: string[];
                        binding?: {
                            args: string[];
                            channel: string;
                            command: string;
                        };
                        comment: string;
                        /** Format: date-time */
                        created_at: string;
                        /** @description what the token grants now: its access level's role, its roles and permissions, limited to what its owner holds now */
                        effective_permissions: string[];
                        expires_at: string | null;
                        id: string;
                        /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                        kind: "personal" | "service" | "bound";
                        last_used_at: string | null;
                        /** @description the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown */
                        last_used_from?: {
                            /** Format: date-time */
                            at: string;
                            ip: string;
                        }[];
                        metadata: {
                            [key: string]: unknown;
                        } | null;
                        name: string | null;
                        owner: {
                            id: number;
                            username: string | null;
                        } | null;
                        /** @description permissions given to the token (a personal token grants only those its owner holds at use) */
                        permissions: string[];
                        /** @description the first characters of the value, to recognise it; not usable as a credential */
                        prefix: string;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        recoverable: boolean;
                        /** @description next_at: when remaining is next set back to amount */
                        refill: {
                            amount: number;
                            interval_seconds: number;
                            next_at: string | null;
                        } | null;
                        /** @description uses left (a refill that is due is counted); null = unlimited */
                        remaining: number | null;
                        revoked_at: string | null;
                        /** @description roles given to the token, besides its access level */
                        roles: string[];
                        status: "active" | "inactive" | "expired" | "revoked";
                        /** Format: date-time */
                        updated_at: string;
                        use_count: number;
                    };
                };
            };
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description read < write < full; only full may manage tokens */
                    access?: "read" | "write" | "full";
                    active?: boolean;
                    /** @description client addresses the token works from (10.0.0.0/8, 2001:db8::/32); empty = anywhere */
                    allowed_cidrs?: string[];
                    comment?: string;
                    /** @description RFC 3339 in the future, or null for never */
                    expires_at?: string | null;
                    metadata?: {
                        [key: string]: unknown;
                    } | null;
                    name?: string | null;
                    /** @description permissions (`deploy:write`, `deploy:*`); a personal token may carry only what its owner holds */
                    permissions?: string[];
                    /** @description null removes the rate limit */
                    rate_limit?: {
                        /** @description verifications allowed per window */
                        limit: number;
                        /** @description length of the fixed window, which starts at its first request */
                        window_seconds: number;
                    } | null;
                    /** @description a new refill starts its period now; null removes it */
                    refill?: {
                        /** @description remaining is set back to this at each refill */
                        amount: number;
                        /** @description seconds between refills; the first period starts when the refill is set */
                        interval_seconds: number;
                    } | null;
                    /** @description uses left from now on; null removes the usage limit and its refill */
                    remaining?: number | null;
                    /** @description roles (GET /api/v1/roles) */
                    roles?: string[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read < write < full; only full may manage tokens */
                        access: "read" | "write" | "full";
                        active: boolean;
                        /** @description client addresses the token works from (CIDR); empty = anywhere */
                        allowed_cidrs: string[];
                        binding?: {
                            args: string[];
                            channel: string;
                            command: string;
                        };
                        comment: string;
                        /** Format: date-time */
                        created_at: string;
                        /** @description what the token grants now: its access level's role, its roles and permissions, limited to what its owner holds now */
                        effective_permissions: string[];
                        expires_at: string | null;
                        id: string;
                        /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                        kind: "personal" | "service" | "bound";
                        last_used_at: string | null;
                        /** @description the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown */
                        last_used_from?: {
                            /** Format: date-time */
                            at: string;
                            ip: string;
                        }[];
                        metadata: {
                            [key: string]: unknown;
                        } | null;
                        name: string | null;
                        owner: {
                            id: number;
                            username: string | null;
                        } | null;
                        /** @description permissions given to the token (a personal token grants only those its owner holds at use) */
                        permissions: string[];
                        /** @description the first characters of the value, to recognise it; not usable as a credential */
                        prefix: string;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        recoverable: boolean;
                        /** @description next_at: when remaining is next set back to amount */
                        refill: {
                            amount: number;
                            interval_seconds: number;
                            next_at: string | null;
                        } | null;
                        /** @description uses left (a refill that is due is counted); null = unlimited */
                        remaining: number | null;
                        revoked_at: string | null;
                        /** @description roles given to the token, besides its access level */
                        roles: string[];
                        status: "active" | "inactive" | "expired" | "revoked";
                        /** Format: date-time */
                        updated_at: string;
                        use_count: number;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    rotateToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    grace_seconds?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description read < write < full; only full may manage tokens */
                        access: "read" | "write" | "full";
                        active: boolean;
                        /** @description client addresses the token works from (CIDR); empty = anywhere */
                        allowed_cidrs: string[];
                        binding?: {
                            args: string[];
                            channel: string;
                            command: string;
                        };
                        comment: string;
                        /** Format: date-time */
                        created_at: string;
                        /** @description what the token grants now: its access level's role, its roles and permissions, limited to what its owner holds now */
                        effective_permissions: string[];
                        expires_at: string | null;
                        id: string;
                        /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                        kind: "personal" | "service" | "bound";
                        last_used_at: string | null;
                        /** @description the distinct client addresses the token was last used from (at most 5), newest first; only when one token is shown */
                        last_used_from?: {
                            /** Format: date-time */
                            at: string;
                            ip: string;
                        }[];
                        metadata: {
                            [key: string]: unknown;
                        } | null;
                        name: string | null;
                        owner: {
                            id: number;
                            username: string | null;
                        } | null;
                        /** @description permissions given to the token (a personal token grants only those its owner holds at use) */
                        permissions: string[];
                        /** @description the first characters of the value, to recognise it; not usable as a credential */
                        prefix: string;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        recoverable: boolean;
                        /** @description next_at: when remaining is next set back to amount */
                        refill: {
                            amount: number;
                            interval_seconds: number;
                            next_at: string | null;
                        } | null;
                        /** @description uses left (a refill that is due is counted); null = unlimited */
                        remaining: number | null;
                        revoked_at: string | null;
                        /** @description roles given to the token, besides its access level */
                        roles: string[];
                        status: "active" | "inactive" | "expired" | "revoked";
                        /** @description the token value */
                        token: string;
                        /** Format: date-time */
                        updated_at: string;
                        use_count: number;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTokenValue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        token: string;
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tokens: {
                        /** @description read < write < full; only full may manage tokens */
                        access?: "read" | "write" | "full";
                        active?: boolean;
                        /** @description client addresses the token works from (10.0.0.0/8, 2001:db8::/32); empty = anywhere */
                        allowed_cidrs?: string[];
                        comment?: string;
                        /**
                         * Format: date-time
                         * @description RFC 3339, in the future
                         */
                        expires_at?: string;
                        /** @description seconds from now */
                        expires_in?: number;
                        /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                        kind?: "personal" | "service" | "bound";
                        /** @description free JSON object, at most 4096 bytes */
                        metadata?: {
                            [key: string]: unknown;
                        };
                        /** @description unique among the owner's live tokens; required for service tokens */
                        name?: string;
                        /** @description admins: issue a personal token owned by this user (username or id); audited */
                        owner?: string;
                        /** @description permissions (`deploy:write`, `deploy:*`); a personal token may carry only what its owner holds */
                        permissions?: string[];
                        /** @description rate limit: beyond `limit` verifications per window the token answers RATE_LIMITED (429 with Retry-After); counted per node, or across nodes with redis_url */
                        rate_limit?: {
                            /** @description verifications allowed per window */
                            limit: number;
                            /** @description length of the fixed window, which starts at its first request */
                            window_seconds: number;
                        };
                        /** @description keep an encrypted copy so GET /value can show it again */
                        recoverable?: boolean;
                        /** @description refills the usage limit every interval (needs remaining) */
                        refill?: {
                            /** @description remaining is set back to this at each refill */
                            amount: number;
                            /** @description seconds between refills; the first period starts when the refill is set */
                            interval_seconds: number;
                        };
                        /** @description usage limit: uses left. Each successful verification of the token (POST /api/v1/verify, forward-auth, or any request it authenticates) takes one, atomically and exactly, on every node; at 0 the token answers USAGE_EXCEEDED. Absent or null: unlimited */
                        remaining?: number;
                        /** @description roles (GET /api/v1/roles) */
                        roles?: string[];
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        tokens: components["schemas"]["def-2"][];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postTokensImport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description create owners that do not exist (with a random password) instead of refusing their rows */
                    create_users?: boolean;
                    /** @description the line of the first row in the source file (for the report); default 1 */
                    first_line?: number;
                    /**
                     * @description the product the rows come from, or csv/json for the generic columns
                     * @enum {string}
                     */
                    format: "filebin" | "semaphore" | "meeseeks" | "query" | "csv" | "json";
                    rows: {
                        [key: string]: unknown;
                    }[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_users: string[];
                        imported: number;
                        refused: number;
                        /** @description every row not imported */
                        rows: {
                            line: number;
                            message: string;
                            /**
                             * @description why the row was not imported (docs/migrate.md)
                             * @enum {string}
                             */
                            reason: "MISSING_VALUE" | "INVALID_HASH" | "INVALID_VALUE" | "INVALID_FIELD" | "UNKNOWN_OWNER" | "EXPIRED_IN_SOURCE" | "DUPLICATE_IN_FILE" | "DUPLICATE_NAME" | "ALREADY_IMPORTED" | "NAME_TAKEN" | "PERMISSION_NOT_HELD";
                            source_id?: string;
                        }[];
                        skipped: number;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    created_before?: string;
                    /** @default false */
                    dry_run?: boolean;
                    /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                    kind?: "personal" | "service" | "bound";
                    /**
                     * Format: date-time
                     * @description never-used tokens match too
                     */
                    last_used_before?: string;
                    name_prefix?: string;
                    /** @description a user id or username */
                    owner?: string;
                    /** @description tokens that grant this permission now */
                    permission?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        count: number;
                        dry_run: boolean;
                        tokens: {
                            id: string;
                            /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                            kind: "personal" | "service" | "bound";
                            name: string | null;
                            owner_id: number | null;
                            prefix: string;
                        }[];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeTokenByValue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        message: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listUsers: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-0"][];
                        /** @description pass as `cursor` for the next page; null on the last page */
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createUser: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    disabled?: boolean;
                    email?: string | null;
                    groups?: string[];
                    password: string;
                    /** @description permissions granted to the user directly */
                    permissions?: string[];
                    role?: "admin" | "user";
                    /** @description roles granted to the user directly */
                    roles?: string[];
                    username: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        disabled: boolean;
                        email: string | null;
                        groups: string[];
                        id: number;
                        /** @description permissions granted to the user directly */
                        permissions: string[];
                        role: "admin" | "user";
                        /** @description roles granted to the user directly (groups may grant more) */
                        roles: string[];
                        /** Format: date-time */
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        disabled: boolean;
                        email: string | null;
                        groups: string[];
                        id: number;
                        /** @description permissions granted to the user directly */
                        permissions: string[];
                        role: "admin" | "user";
                        /** @description roles granted to the user directly (groups may grant more) */
                        roles: string[];
                        /** Format: date-time */
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    disabled?: boolean;
                    email?: string | null;
                    groups?: string[];
                    password?: string;
                    /** @description permissions granted to the user directly */
                    permissions?: string[];
                    role?: "admin" | "user";
                    /** @description roles granted to the user directly */
                    roles?: string[];
                    username?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        disabled: boolean;
                        email: string | null;
                        groups: string[];
                        id: number;
                        /** @description permissions granted to the user directly */
                        permissions: string[];
                        role: "admin" | "user";
                        /** @description roles granted to the user directly (groups may grant more) */
                        roles: string[];
                        /** Format: date-time */
                        updated_at: string;
                        username: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description read < write < full; only full may manage tokens */
                    access?: "read" | "write" | "full";
                    /** @description the client address the token is presented from, checked against its allowed_cidrs */
                    ip?: string;
                    /** @description a permission query: a name (`deploy:write`), a list (all of them), or `{"and": [...]}` / `{"or": [...]}` nested up to 5 levels (a top-level list is the first; names add none), at most 50 names */
                    permissions?: unknown;
                    /** @description a token value of any format (values without the Tessera prefix are looked up by hash), or one of Tessera's JWTs */
                    token: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {unknown} */
                        code: "VALID" | "MALFORMED" | "NOT_FOUND" | "EXPIRED" | "REVOKED" | "DISABLED" | "INSUFFICIENT_ACCESS" | "BOUND" | "IP_NOT_ALLOWED" | "INSUFFICIENT_PERMISSIONS" | "USAGE_EXCEEDED" | "RATE_LIMITED" | "ROTATED";
                        /** @description only when the value was one of Tessera's JWTs (and valid) */
                        jwt?: {
                            /** @description read < write < full; only full may manage tokens */
                            access: "read" | "write" | "full";
                            /** Format: date-time */
                            expires_at: string;
                            jti: string;
                            /** @description what the JWT was exchanged from; for `token`, `token` above is that parent token */
                            parent: "token" | "session" | "user";
                            user: {
                                id: number;
                                username: string;
                            } | null;
                        };
                        metadata?: {
                            [key: string]: unknown;
                        } | null;
                        /** @description code INSUFFICIENT_PERMISSIONS: the permissions that would have made the query pass */
                        missing?: string[];
                        /** @description what the token grants now (its access level's role, its roles, its permissions; limited to its owner's) */
                        permissions?: string[];
                        /** @description only for tokens with a rate limit; code RATE_LIMITED when the window is used up */
                        rate_limit?: {
                            limit: number;
                            /** @description requests left in this window */
                            remaining: number;
                            /**
                             * Format: date-time
                             * @description when the window ends
                             */
                            reset_at: string;
                        };
                        /** @description the token's roles, its access level first */
                        roles?: string[];
                        token: {
                            /** @description read < write < full; only full may manage tokens */
                            access: "read" | "write" | "full";
                            expires_at: string | null;
                            id: string;
                            /** @description bound = command-bound (Meeseeks), created with the chat command token-new and usable only on POST /message */
                            kind: "personal" | "service" | "bound";
                            name: string | null;
                            owner: {
                                id: number;
                                username: string | null;
                            } | null;
                        } | null;
                        /** @description only for tokens with a usage limit (a valid answer took one use); code USAGE_EXCEEDED when none is left */
                        usage?: {
                            /** @description uses left after this verification */
                            remaining: number;
                            /** @description when the refill sets remaining back (null: no refill) */
                            reset_at: string | null;
                        };
                        valid: boolean;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    streamVerifyEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description events `state` {caching} and `invalidate` {kind, id} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-10"][];
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    active?: boolean;
                    description?: string;
                    events: ("token.created" | "token.updated" | "token.rotated" | "token.revoked" | "token.expiring" | "token.expired" | "token.usage_exhausted" | "token.leaked" | "user.disabled" | "job.finished")[];
                    /** @description whsec_ + base64 of 24 to 64 bytes; generated when absent */
                    secret?: string;
                    /** @description http(s) URL the events are POSTed to */
                    url: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the signing secret (whsec_…): shown only in this answer */
                        secret?: string;
                        webhook: components["schemas"]["def-10"];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        active: boolean;
                        /** Format: date-time */
                        created_at: string;
                        description: string;
                        events: ("token.created" | "token.updated" | "token.rotated" | "token.revoked" | "token.expiring" | "token.expired" | "token.usage_exhausted" | "token.leaked" | "user.disabled" | "job.finished")[];
                        id: string;
                        /** Format: date-time */
                        updated_at: string;
                        url: string;
                    };
                };
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description VALIDATION_ERROR (the body, path or query), INVALID_JSON, AMBIGUOUS_CREDENTIALS (two different credentials) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    updateWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    active?: boolean;
                    description?: string;
                    events?: ("token.created" | "token.updated" | "token.rotated" | "token.revoked" | "token.expiring" | "token.expired" | "token.usage_exhausted" | "token.leaked" | "user.disabled" | "job.finished")[];
                    rotate_secret?: boolean;
                    /** @description whsec_ + base64 of 24 to 64 bytes; generated when absent */
                    secret?: string;
                    /** @description http(s) URL the events are POSTed to */
                    url?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the signing secret (whsec_…): shown only in this answer */
                        secret?: string;
                        webhook: components["schemas"]["def-10"];
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description PAYLOAD_TOO_LARGE: the body is larger than `body_limit_bytes` */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description UNSUPPORTED_MEDIA_TYPE: a body of a content type the route does not take */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["def-11"][];
                        next_cursor: string | null;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    postWebhookDeliveryRedeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                delivery: number;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        created_at: string;
                        /** @description the webhook-id header: the same on every attempt and redelivery */
                        event_id: string;
                        /**
                         * @description event type (docs/webhooks.md)
                         * @enum {string}
                         */
                        event_type: "token.created" | "token.updated" | "token.rotated" | "token.revoked" | "token.expiring" | "token.expired" | "token.usage_exhausted" | "token.leaked" | "user.disabled" | "job.finished";
                        id: number;
                        last_error: string | null;
                        last_status_code: number | null;
                        log: {
                            /** Format: date-time */
                            at: string;
                            attempt: number;
                            duration_ms: number;
                            error: string | null;
                            status_code: number | null;
                        }[];
                        next_attempt_at: string | null;
                        status: "pending" | "delivered" | "failed";
                        /** Format: date-time */
                        updated_at: string;
                        webhook_id: string;
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    /** @description `Bearer realm="tessera"` (RFC 6750); introspection and Basic-reading profiles challenge with `Basic` */
                    "WWW-Authenticate"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the caller's token: RATE_LIMITED (its rate limit), USAGE_EXCEEDED (no uses left) */
            429: {
                headers: {
                    /** @description the limit of the token's rate window or its uses (a limited token) */
                    "RateLimit-Limit"?: number;
                    /** @description what is left of it */
                    "RateLimit-Remaining"?: number;
                    /** @description seconds until the window ends or the uses refill */
                    "RateLimit-Reset"?: number;
                    /** @description seconds until a try can succeed (absent when a used-up token has no refill) */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description STORE_UNAVAILABLE (the database cannot be reached or written), SHUTTING_DOWN (the server is closing) */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meeseeksMessageGet: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"job_id"}, or an empty body (a UUID token, as Meeseeks) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: number;
                    } | null;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meeseeksMessagePut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"job_id"}, or an empty body (a UUID token, as Meeseeks) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: number;
                    } | null;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meeseeksMessagePost: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"job_id"}, or an empty body (a UUID token, as Meeseeks) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: number;
                    } | null;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meeseeksMessageDelete: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"job_id"}, or an empty body (a UUID token, as Meeseeks) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: number;
                    } | null;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meeseeksMessageOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"job_id"}, or an empty body (a UUID token, as Meeseeks) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: number;
                    } | null;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meeseeksMessageHead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"job_id"}, or an empty body (a UUID token, as Meeseeks) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: number;
                    } | null;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meeseeksMessagePatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description {"job_id"}, or an empty body (a UUID token, as Meeseeks) */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        job_id: number;
                    } | null;
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    meshplayGetProvider: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description to the web UI */
            302: {
                headers: {
                    /** @description / */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ready";
                        /** @description 'off' while this node's change feed (multi-node) is down: it verifies every token against the store */
                        verification_cache: "on" | "off";
                    };
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The error envelope. `code` is from docs/errors.md. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
