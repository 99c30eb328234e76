// Generated from the gateway's OpenAPI document (/docs/json) by scripts/web-api-types.ts. Do not edit:
// run `npm run web:types` after changing a route. A test fails when this file is out of date.

/** Every REST operation: path → method → { path?, query?, body?, response }. */
export interface Paths {
  "/api/activity/export": {
    /** Stream activity records (oldest first) as JSON Lines or CSV, with the list filters. Scope: read. */
    get: {
      query?: {
        /** Comma-separated types: tool_call, resource_read, prompt_get, mcp_request, policy_decision, admin_change */
        type?: string;
        /** Comma-separated statuss: ok, error, cancelled, denied, allowed */
        status?: string;
        /** Exact server name */
        server?: string;
        /** Exact tool (or prompt) name */
        tool?: string;
        /** The caller's id or name */
        caller?: string;
        /** MCP session id */
        session?: string;
        /** MCP method, policy action or admin action */
        method?: string;
        /** From this time (inclusive, ISO-8601) */
        from?: string;
        /** Until this time (exclusive, ISO-8601) */
        to?: string;
        /** Case-insensitive text search over names, errors and arguments */
        q?: string;
        /** jsonl (default; `json` is accepted as an alias) or csv */
        format?: "jsonl" | "csv" | "json";
      };
      response: string;
    };
  };
  "/api/activity/logs": {
    /** List activity records (newest first) with filters and paging. Scope: read. */
    get: {
      query?: {
        /** Comma-separated types: tool_call, resource_read, prompt_get, mcp_request, policy_decision, admin_change */
        type?: string;
        /** Comma-separated statuss: ok, error, cancelled, denied, allowed */
        status?: string;
        /** Exact server name */
        server?: string;
        /** Exact tool (or prompt) name */
        tool?: string;
        /** The caller's id or name */
        caller?: string;
        /** MCP session id */
        session?: string;
        /** MCP method, policy action or admin action */
        method?: string;
        /** From this time (inclusive, ISO-8601) */
        from?: string;
        /** Until this time (exclusive, ISO-8601) */
        to?: string;
        /** Case-insensitive text search over names, errors and arguments */
        q?: string;
        page?: number;
        page_size?: number;
      };
      response: {
        items: {
          id: string;
          type: string;
          at: string;
          status: string;
          caller: {
            kind: string;
            id: string;
            name: string;
          } | null;
          session_id: string | null;
          method: string | null;
          server: string | null;
          tool: string | null;
          target: string | null;
          duration_ms: number | null;
          result_bytes: number | null;
          request_id: string | null;
          error_code: string | null;
          error_message: string | null;
          reason: string | null;
        }[];
        total: number;
        page: number;
        page_size: number;
        pages: number;
      };
    };
  };
  "/api/activity/logs/{id}": {
    /** One activity record with its arguments, result and before/after. Scope: read. */
    get: {
      path: {
        id: string;
      };
      response: {
        id: string;
        type: string;
        at: string;
        status: string;
        caller: {
          kind: string;
          id: string;
          name: string;
        } | null;
        session_id: string | null;
        method: string | null;
        server: string | null;
        tool: string | null;
        target: string | null;
        duration_ms: number | null;
        result_bytes: number | null;
        request_id: string | null;
        error_code: string | null;
        error_message: string | null;
        reason: string | null;
        /** Redacted; large values are truncated previews */
        arguments?: unknown;
        result?: unknown;
        before?: unknown;
        after?: unknown;
      };
    };
  };
  "/api/activity/recent": {
    /** The latest activity records (newest first). Scope: read. */
    get: {
      query?: {
        limit?: number;
        /** Comma-separated types: tool_call, resource_read, prompt_get, mcp_request, policy_decision, admin_change */
        type?: string;
        /** Exact server name */
        server?: string;
        /** Exact tool (or prompt) name */
        tool?: string;
      };
      response: {
        items: {
          id: string;
          type: string;
          at: string;
          status: string;
          caller: {
            kind: string;
            id: string;
            name: string;
          } | null;
          session_id: string | null;
          method: string | null;
          server: string | null;
          tool: string | null;
          target: string | null;
          duration_ms: number | null;
          result_bytes: number | null;
          request_id: string | null;
          error_code: string | null;
          error_message: string | null;
          reason: string | null;
        }[];
      };
    };
  };
  "/api/activity/stats": {
    /** Calls, errors, denials, latency percentiles, per server/tool and a time series over a range. Scope: read. */
    get: {
      query?: {
        /** Exact server name */
        server?: string;
        /** Exact tool (or prompt) name */
        tool?: string;
        /** The caller's id or name */
        caller?: string;
        /** MCP session id */
        session?: string;
        /** Start of the range (default: 24 hours before `to`) */
        from?: string;
        /** End of the range (default: now) */
        to?: string;
        /** Series resolution (default: by range — minute up to 6 h, hour up to 31 days, else day) */
        bucket?: "minute" | "hour" | "day";
      };
      response: {
        from: string;
        to: string;
        bucket: "minute" | "hour" | "day";
        totals: {
          calls: number;
          ok: number;
          errors: number;
          cancelled: number;
          denials: number;
          avg_ms: number | null;
          p50_ms: number | null;
          p95_ms: number | null;
          max_ms: number | null;
          error_rate: number;
        };
        per_server: {
          server: string;
          calls: number;
          ok: number;
          errors: number;
          cancelled: number;
          denials: number;
          avg_ms: number | null;
          p50_ms: number | null;
          p95_ms: number | null;
          max_ms: number | null;
        }[];
        per_tool: {
          server: string;
          tool: string;
          calls: number;
          ok: number;
          errors: number;
          cancelled: number;
          denials: number;
          avg_ms: number | null;
          p50_ms: number | null;
          p95_ms: number | null;
          max_ms: number | null;
        }[];
        series: {
          t: string;
          calls: number;
          errors: number;
          denials: number;
          avg_ms: number | null;
        }[];
      };
    };
  };
  "/api/admin-token": {
    /** Whether an admin token exists and when it was last rotated. Scope: admin. */
    get: {
      response: {
        configured: boolean;
        rotated_at: string | null;
      };
    };
  };
  "/api/admin-token/rotate": {
    /** Replace the admin token (never expires, full access); the new token is shown once, the old one stops working. Scope: admin. */
    post: {
      response: {
        /** Never expires, full access. Shown once */
        token: string;
        /** ISO-8601 UTC */
        rotated_at: string;
      };
    };
  };
  "/api/approvals/modules": {
    /** Module requests (filter by status and server). Scope: read. */
    get: {
      query?: {
        /** Default: every status */
        status?: "pending" | "approved" | "rejected" | "revoked";
        server?: string;
      };
      response: {
        items: {
          id: string;
          kind: "module" | "network";
          server: string;
          tool_id: string | null;
          /** The module name, or host[:port] */
          target: string;
          justification: string;
          status: "pending" | "approved" | "rejected" | "revoked";
          requested_by: string;
          /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
          requested_via: "api" | "mcp";
          decided_by: string | null;
          decided_at: string | null;
          reason: string | null;
          created_at: string;
        }[];
      };
    };
  };
  "/api/approvals/modules/{id}/action": {
    /** Approve or reject a module request (a rejection needs a reason). Scope: admin. */
    post: {
      path: {
        /** Request id */
        id: string;
      };
      body: {
        action: "approve" | "reject";
        reason?: string;
      };
      response: {
        id: string;
        kind: "module" | "network";
        server: string;
        tool_id: string | null;
        /** The module name, or host[:port] */
        target: string;
        justification: string;
        status: "pending" | "approved" | "rejected" | "revoked";
        requested_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        requested_via: "api" | "mcp";
        decided_by: string | null;
        decided_at: string | null;
        reason: string | null;
        created_at: string;
      };
    };
  };
  "/api/approvals/network": {
    /** Network-access requests (filter by status and server). Scope: read. */
    get: {
      query?: {
        /** Default: every status */
        status?: "pending" | "approved" | "rejected" | "revoked";
        server?: string;
      };
      response: {
        items: {
          id: string;
          kind: "module" | "network";
          server: string;
          tool_id: string | null;
          /** The module name, or host[:port] */
          target: string;
          justification: string;
          status: "pending" | "approved" | "rejected" | "revoked";
          requested_by: string;
          /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
          requested_via: "api" | "mcp";
          decided_by: string | null;
          decided_at: string | null;
          reason: string | null;
          created_at: string;
        }[];
      };
    };
  };
  "/api/approvals/network/{id}/action": {
    /** Approve or reject a network-access request (a rejection needs a reason). Scope: admin. */
    post: {
      path: {
        /** Request id */
        id: string;
      };
      body: {
        action: "approve" | "reject";
        reason?: string;
      };
      response: {
        id: string;
        kind: "module" | "network";
        server: string;
        tool_id: string | null;
        /** The module name, or host[:port] */
        target: string;
        justification: string;
        status: "pending" | "approved" | "rejected" | "revoked";
        requested_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        requested_via: "api" | "mcp";
        decided_by: string | null;
        decided_at: string | null;
        reason: string | null;
        created_at: string;
      };
    };
  };
  "/api/approvals/stats": {
    /** Counts of tools by status and of module and network requests by status. Scope: read. */
    get: {
      response: {
        tools: {
          draft: number;
          pending_review: number;
          approved: number;
          rejected: number;
          revoked: number;
        };
        modules: {
          pending: number;
          approved: number;
          rejected: number;
          revoked: number;
        };
        network: {
          pending: number;
          approved: number;
          rejected: number;
          revoked: number;
        };
        pending_total: number;
      };
    };
  };
  "/api/approvals/tools": {
    /** Tools waiting for review. Scope: read. */
    get: {
      response: {
        items: {
          id: string;
          server: string;
          name: string;
          description: string | null;
          status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
          version: number;
          input_schema: Record<string, unknown>;
          /** Present where one tool is shown */
          code?: string;
          /** The language of the code: python (Pyodide) or javascript (QuickJS) */
          language: "python" | "javascript";
          /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
          kind: "python" | "external";
          external: {
            source_id: string;
            source: string | null;
            /** The tool's name on the source */
            tool: string;
          } | null;
          /** Approved and its server running: MCP clients (the gate permitting) see it */
          listed: boolean;
          /** kind:id of the principal whose change made the current code or publish request */
          submitted_by: string;
          /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
          submitted_via: "api" | "mcp";
          review: {
            by: string;
            at: string;
            reason: string | null;
          } | null;
          publish_requested_at: string | null;
          publish_note: string | null;
          created_by: string;
          created_at: string;
          updated_at: string;
        }[];
      };
    };
  };
  "/api/approvals/tools/{id}/action": {
    /** Approve or reject a tool in review (a rejection needs a reason). Scope: admin. */
    post: {
      path: {
        /** Tool id */
        id: string;
      };
      body: {
        action: "approve" | "reject";
        reason?: string;
      };
      response: {
        id: string;
        server: string;
        name: string;
        description: string | null;
        status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
        version: number;
        input_schema: Record<string, unknown>;
        /** Present where one tool is shown */
        code?: string;
        /** The language of the code: python (Pyodide) or javascript (QuickJS) */
        language: "python" | "javascript";
        /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
        kind: "python" | "external";
        external: {
          source_id: string;
          source: string | null;
          /** The tool's name on the source */
          tool: string;
        } | null;
        /** Approved and its server running: MCP clients (the gate permitting) see it */
        listed: boolean;
        /** kind:id of the principal whose change made the current code or publish request */
        submitted_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        submitted_via: "api" | "mcp";
        review: {
          by: string;
          at: string;
          reason: string | null;
        } | null;
        publish_requested_at: string | null;
        publish_note: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/approvals/tools/{id}/revoke": {
    /** Revoke an approved tool (it leaves the tool list at once). Scope: admin. */
    post: {
      path: {
        /** Tool id */
        id: string;
      };
      body: {
        reason?: string;
      } | null;
      response: {
        id: string;
        server: string;
        name: string;
        description: string | null;
        status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
        version: number;
        input_schema: Record<string, unknown>;
        /** Present where one tool is shown */
        code?: string;
        /** The language of the code: python (Pyodide) or javascript (QuickJS) */
        language: "python" | "javascript";
        /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
        kind: "python" | "external";
        external: {
          source_id: string;
          source: string | null;
          /** The tool's name on the source */
          tool: string;
        } | null;
        /** Approved and its server running: MCP clients (the gate permitting) see it */
        listed: boolean;
        /** kind:id of the principal whose change made the current code or publish request */
        submitted_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        submitted_via: "api" | "mcp";
        review: {
          by: string;
          at: string;
          reason: string | null;
        } | null;
        publish_requested_at: string | null;
        publish_note: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/config": {
    /** Get the running configuration (API key, env and header values redacted). Scope: read. */
    get: {
      response: {
        /** The config file; null when the gateway runs without one */
        path: string | null;
        config: {
          servers: {
            name: string;
            transport: "stdio" | "sse" | "streamable-http";
            command?: string;
            args: string[];
            /** Values other than ${secret:…} references are masked */
            env: Record<string, string>;
            cwd?: string;
            url?: string;
            /** Values other than ${secret:…} references are masked */
            headers: Record<string, string>;
            enabled: boolean;
            alias?: string;
            quarantined: boolean;
            timeoutMs: number;
          }[];
          gateway: {
            prefix: "always" | "never";
            separator: string;
          };
          http: {
            host: string;
            port: number;
            maxBodyBytes: number;
            allowedHosts: string[];
            allowedOrigins: string[];
          };
          /** Masked when set */
          apiKey?: string;
          allowUnauthenticatedLoopback: boolean;
        };
      };
    };
  };
  "/api/config/apply": {
    /** Validate, write the config file atomically, and apply it (all or nothing). Scope: admin. */
    post: {
      body: unknown;
      response: {
        path: string;
        servers: {
          added: string[];
          removed: string[];
          changed: string[];
          unchanged: string[];
        };
      };
    };
  };
  "/api/config/validate": {
    /** Validate a configuration without changing anything. Scope: write. */
    post: {
      body: unknown;
      response: {
        valid: boolean;
        issues: {
          /** JSON path, e.g. mcpServers.github.args[2] */
          path: string;
          message: string;
        }[];
        /** Will load, but a server will not start (e.g. a ${secret:…} without a value) */
        warnings: {
          /** JSON path, e.g. mcpServers.github.args[2] */
          path: string;
          message: string;
        }[];
        /** What applying it would change, compared with the running configuration */
        servers?: {
          added: string[];
          removed: string[];
          changed: string[];
          unchanged: string[];
        };
      };
    };
  };
  "/api/dashboard": {
    /** Dashboard counts: servers by health and admin state, tools, sessions, pending approvals. Scope: read. */
    get: {
      response: {
        uptime_s: number;
        servers: {
          total: number;
          by_health: {
            healthy: number;
            degraded: number;
            unhealthy: number;
          };
          by_admin_state: {
            enabled: number;
            disabled: number;
            quarantined: number;
          };
        };
        tools: {
          total: number;
        };
        sessions: {
          active: number;
        };
        approvals: {
          /** Quarantined servers waiting for an admin */
          pending: number;
        };
      };
    };
  };
  "/api/diagnostics": {
    /** Problems, conflicts and runtime details for troubleshooting. Scope: read. */
    get: {
      response: {
        generated_at: string;
        version: string;
        runtime: {
          node_version: string;
          platform: string;
          pid: number;
          uptime_s: number;
          rss_mb: number;
          heap_used_mb: number;
        };
        store: {
          path: string;
          data_dir: string;
          migrations: string[];
        };
        config: {
          path: string | null;
          file_servers: number;
          prefix: string;
          separator: string;
        };
        servers: {
          total: number;
          by_state: Record<string, number>;
        };
        problems: {
          server: string;
          state: string;
          level: "healthy" | "degraded" | "unhealthy";
          summary: string;
          detail: string;
          action: string;
        }[];
        /** Config-file servers left out because a stored server has the name or tool prefix */
        conflicts: {
          name: string;
          reason: string;
        }[];
        sessions: number;
        pending_approvals: number;
      };
    };
  };
  "/api/doctor": {
    /** The checks of `switchboard doctor` on the running gateway. Scope: read. */
    get: {
      response: {
        ok: boolean;
        checks: {
          check: string;
          ok: boolean;
          detail: string;
        }[];
      };
    };
  };
  "/api/export": {
    /** Export the servers in a client format, or a signed backup. Scope: admin. */
    get: {
      query?: {
        /** generic (Switchboard JSON, also a valid config file), claude, vscode, cursor, or backup (signed, with settings, sealed secrets, profiles, tool pins and hosted servers) */
        format?: "generic" | "claude" | "vscode" | "cursor" | "backup";
      };
      response: Record<string, unknown>;
    };
  };
  "/api/export/import": {
    /** Import servers (alias of /api/import). Scope: admin. */
    post: {
      query?: {
        /** true: return the plan and change nothing */
        dry_run?: "true" | "false";
      };
      body: unknown;
      response: {
        format: "backup" | "generic" | "claude" | "cursor" | "vscode" | "mcpproxy" | "mcphub";
        dry_run: boolean;
        applied: boolean;
        servers: {
          name: string;
          action: "add" | "update" | "conflict" | "unchanged" | "invalid";
          transport: "stdio" | "sse" | "streamable-http";
          reason?: string;
        }[];
        summary: {
          add: number;
          update: number;
          conflict: number;
          unchanged: number;
          invalid: number;
        };
        /** Backups only */
        settings: ("update" | "unchanged") | null;
        /** Backups only; values are never shown */
        secrets: {
          server: string;
          name: string;
          action: "add" | "update" | "unchanged";
          value: "restored" | "placeholder";
        }[];
        /** Backups only: stored profiles */
        profiles: {
          name: string;
          action: "add" | "update" | "unchanged" | "remove" | "conflict" | "invalid";
          reason?: string;
        }[];
        /** Backups only: tool and prompt pins with the approval state they get; remove: a pin of a restored server the backup does not have */
        pins: {
          server: string;
          kind: string;
          name: string;
          state: string;
          action: "add" | "update" | "unchanged" | "remove" | "conflict" | "invalid";
        }[];
        /** Backups only: hosted servers, each replaced whole with its tools (every version), module and network requests */
        hosted: {
          name: string;
          action: "add" | "update" | "unchanged" | "remove" | "conflict" | "invalid";
          reason?: string;
          tools: {
            id: string;
            name: string;
            status: string;
            versions: number;
          }[];
          requests: {
            id: string;
            kind: string;
            target: string;
            status: string;
          }[];
        }[];
        warnings: string[];
      };
    };
  };
  "/api/export/servers": {
    /** Export the servers (alias of /api/export). Scope: admin. */
    get: {
      query?: {
        /** generic (Switchboard JSON, also a valid config file), claude, vscode, cursor, or backup (signed, with settings, sealed secrets, profiles, tool pins and hosted servers) */
        format?: "generic" | "claude" | "vscode" | "cursor" | "backup";
      };
      response: Record<string, unknown>;
    };
  };
  "/api/external-sources": {
    /** List external MCP sources (all, or those of one hosted server). Scope: read. */
    get: {
      query?: {
        /** Only the sources of this hosted server */
        server?: string;
      };
      response: {
        items: {
          id: string;
          /** The hosted server it belongs to */
          server: string;
          name: string;
          description: string | null;
          transport: "streamable-http" | "sse";
          url: string;
          /** As written: credentials are ${secret:NAME} references, never values */
          headers: Record<string, string>;
          timeout_ms: number | null;
          /** Hosted tools that forward to this source */
          imported_tools: number;
          last_discovered_at: string | null;
          created_by: string;
          created_at: string;
          updated_at: string;
        }[];
      };
    };
    /** Add an external MCP source to a hosted server (its URL must pass the server's egress rule). Scope: write. */
    post: {
      body: {
        /** The hosted server the source belongs to */
        server: string;
        name: string;
        description?: string;
        /** The source's MCP endpoint (http or https); its host must be on the hosted server's allowed hosts, or network_access_policy public */
        url: string;
        /** How the source speaks MCP (default streamable-http) */
        transport?: "streamable-http" | "sse";
        /** Sent with every request; credentials must be `${secret:NAME}` references to the hosted server's secrets, e.g. {"Authorization": "Bearer ${secret:TOKEN}"} */
        headers?: Record<string, string>;
        /** Bound on connecting and on each request (default: the server timeout, else 30 s) */
        timeout_ms?: number;
      };
      response: {
        id: string;
        /** The hosted server it belongs to */
        server: string;
        name: string;
        description: string | null;
        transport: "streamable-http" | "sse";
        url: string;
        /** As written: credentials are ${secret:NAME} references, never values */
        headers: Record<string, string>;
        timeout_ms: number | null;
        /** Hosted tools that forward to this source */
        imported_tools: number;
        last_discovered_at: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/external-sources/{id}": {
    /** Get an external MCP source. Scope: read. */
    get: {
      path: {
        /** External source id */
        id: string;
      };
      response: {
        id: string;
        /** The hosted server it belongs to */
        server: string;
        name: string;
        description: string | null;
        transport: "streamable-http" | "sse";
        url: string;
        /** As written: credentials are ${secret:NAME} references, never values */
        headers: Record<string, string>;
        timeout_ms: number | null;
        /** Hosted tools that forward to this source */
        imported_tools: number;
        last_discovered_at: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
    /** Update an external MCP source (as PATCH; for MCPBox clients). Scope: write. */
    put: {
      path: {
        /** External source id */
        id: string;
      };
      body: {
        name?: string;
        description?: string | null;
        /** The source's MCP endpoint (http or https); its host must be on the hosted server's allowed hosts, or network_access_policy public */
        url?: string;
        /** How the source speaks MCP (default streamable-http) */
        transport?: "streamable-http" | "sse";
        /** Sent with every request; credentials must be `${secret:NAME}` references to the hosted server's secrets, e.g. {"Authorization": "Bearer ${secret:TOKEN}"} */
        headers?: Record<string, string>;
        timeout_ms?: number | null;
      };
      response: {
        id: string;
        /** The hosted server it belongs to */
        server: string;
        name: string;
        description: string | null;
        transport: "streamable-http" | "sse";
        url: string;
        /** As written: credentials are ${secret:NAME} references, never values */
        headers: Record<string, string>;
        timeout_ms: number | null;
        /** Hosted tools that forward to this source */
        imported_tools: number;
        last_discovered_at: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
    /** Update an external MCP source (a new URL, transport or headers sends its approved imported tools back to review). Scope: write. */
    patch: {
      path: {
        /** External source id */
        id: string;
      };
      body: {
        name?: string;
        description?: string | null;
        /** The source's MCP endpoint (http or https); its host must be on the hosted server's allowed hosts, or network_access_policy public */
        url?: string;
        /** How the source speaks MCP (default streamable-http) */
        transport?: "streamable-http" | "sse";
        /** Sent with every request; credentials must be `${secret:NAME}` references to the hosted server's secrets, e.g. {"Authorization": "Bearer ${secret:TOKEN}"} */
        headers?: Record<string, string>;
        timeout_ms?: number | null;
      };
      response: {
        id: string;
        /** The hosted server it belongs to */
        server: string;
        name: string;
        description: string | null;
        transport: "streamable-http" | "sse";
        url: string;
        /** As written: credentials are ${secret:NAME} references, never values */
        headers: Record<string, string>;
        timeout_ms: number | null;
        /** Hosted tools that forward to this source */
        imported_tools: number;
        last_discovered_at: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
    /** Delete an external MCP source (refused while hosted tools forward to it). Scope: write. */
    delete: {
      path: {
        /** External source id */
        id: string;
      };
      response: {
        deleted: string;
      };
    };
  };
  "/api/external-sources/{id}/discover": {
    /** Connect to the source and list its tools, marking those already imported. Scope: write. */
    post: {
      path: {
        /** External source id */
        id: string;
      };
      response: {
        source_id: string;
        server: string;
        server_info: {
          name: string | null;
          version: string | null;
        };
        tools: {
          /** The tool's name on the source */
          name: string;
          title: string | null;
          description: string | null;
          input_schema: Record<string, unknown>;
          imported: boolean;
          /** The hosted tool forwarding to it, when imported */
          tool_id: string | null;
          /** That hosted tool's approval status */
          status: string | null;
          /** Imported and its saved description, schema and target equal the current ones */
          up_to_date: boolean | null;
        }[];
      };
    };
  };
  "/api/external-sources/{id}/import": {
    /** Import tools of the source as hosted tools (all named tools must exist, or nothing changes); they are submitted for review. Scope: write. */
    post: {
      path: {
        /** External source id */
        id: string;
      };
      body: {
        /** Tools to import, by their name on the source (discover lists them) */
        tools: (string | {
          /** The tool's name on the source */
          name: string;
          /** Name in the hosted server (default: the source name, made a valid tool name) */
          as?: string;
        })[];
      };
      response: {
        source_id: string;
        server: string;
        items: {
          source_tool: string;
          action: "created" | "updated" | "unchanged";
          /** A hosted tool */
          tool: {
            id: string;
            server: string;
            name: string;
            description: string | null;
            status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
            version: number;
            input_schema: Record<string, unknown>;
            /** Present where one tool is shown */
            code?: string;
            /** The language of the code: python (Pyodide) or javascript (QuickJS) */
            language: "python" | "javascript";
            /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
            kind: "python" | "external";
            external: {
              source_id: string;
              source: string | null;
              /** The tool's name on the source */
              tool: string;
            } | null;
            /** Approved and its server running: MCP clients (the gate permitting) see it */
            listed: boolean;
            /** kind:id of the principal whose change made the current code or publish request */
            submitted_by: string;
            /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
            submitted_via: "api" | "mcp";
            review: {
              by: string;
              at: string;
              reason: string | null;
            } | null;
            publish_requested_at: string | null;
            publish_note: string | null;
            created_by: string;
            created_at: string;
            updated_at: string;
          };
        }[];
      };
    };
  };
  "/api/hosted-servers": {
    /** List hosted servers. Scope: read. */
    get: {
      query?: {
        page?: number;
        page_size?: number;
      };
      response: {
        items: {
          name: string;
          description: string | null;
          /** Running servers publish their approved tools to MCP clients */
          running: boolean;
          allowed_hosts: string[];
          timeout_ms: number | null;
          tools: {
            total: number;
            approved: number;
            listed: number;
          };
          problem: string | null;
          created_by: string;
          created_at: string;
          updated_at: string;
        }[];
        total: number;
        page: number;
        page_size: number;
        pages: number;
      };
    };
    /** Create a hosted server (stopped until started). Scope: write. */
    post: {
      body: {
        name: string;
        description?: string;
        /** `host`, `*.domain` or either with `:port` */
        allowed_hosts?: string[];
        /** Wall-time limit of each call (default 30 s) */
        timeout_ms?: number;
      };
      response: {
        name: string;
        description: string | null;
        /** Running servers publish their approved tools to MCP clients */
        running: boolean;
        allowed_hosts: string[];
        timeout_ms: number | null;
        tools: {
          total: number;
          approved: number;
          listed: number;
        };
        problem: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/hosted-servers/{name}": {
    /** Get a hosted server. Scope: read. */
    get: {
      path: {
        /** Hosted server name */
        name: string;
      };
      response: {
        name: string;
        description: string | null;
        /** Running servers publish their approved tools to MCP clients */
        running: boolean;
        allowed_hosts: string[];
        timeout_ms: number | null;
        tools: {
          total: number;
          approved: number;
          listed: number;
        };
        problem: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
    /** Update a hosted server (description, allowed hosts, timeout). Scope: write. */
    patch: {
      path: {
        /** Hosted server name */
        name: string;
      };
      body: {
        description?: string | null;
        allowed_hosts?: string[];
        timeout_ms?: number | null;
      };
      response: {
        name: string;
        description: string | null;
        /** Running servers publish their approved tools to MCP clients */
        running: boolean;
        allowed_hosts: string[];
        timeout_ms: number | null;
        tools: {
          total: number;
          approved: number;
          listed: number;
        };
        problem: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
    /** Delete a hosted server with its tools, versions, requests and secrets. Scope: write. */
    delete: {
      path: {
        /** Hosted server name */
        name: string;
      };
      response: {
        deleted: string;
      };
    };
  };
  "/api/hosted-servers/{name}/external-sources": {
    /** List the external MCP sources of a hosted server. Scope: read. */
    get: {
      path: {
        /** Hosted server name */
        name: string;
      };
      response: {
        items: {
          id: string;
          /** The hosted server it belongs to */
          server: string;
          name: string;
          description: string | null;
          transport: "streamable-http" | "sse";
          url: string;
          /** As written: credentials are ${secret:NAME} references, never values */
          headers: Record<string, string>;
          timeout_ms: number | null;
          /** Hosted tools that forward to this source */
          imported_tools: number;
          last_discovered_at: string | null;
          created_by: string;
          created_at: string;
          updated_at: string;
        }[];
      };
    };
    /** Add an external MCP source to this hosted server. Scope: write. */
    post: {
      path: {
        /** Hosted server name */
        name: string;
      };
      body: {
        name: string;
        description?: string;
        /** The source's MCP endpoint (http or https); its host must be on the hosted server's allowed hosts, or network_access_policy public */
        url: string;
        /** How the source speaks MCP (default streamable-http) */
        transport?: "streamable-http" | "sse";
        /** Sent with every request; credentials must be `${secret:NAME}` references to the hosted server's secrets, e.g. {"Authorization": "Bearer ${secret:TOKEN}"} */
        headers?: Record<string, string>;
        /** Bound on connecting and on each request (default: the server timeout, else 30 s) */
        timeout_ms?: number;
      };
      response: {
        id: string;
        /** The hosted server it belongs to */
        server: string;
        name: string;
        description: string | null;
        transport: "streamable-http" | "sse";
        url: string;
        /** As written: credentials are ${secret:NAME} references, never values */
        headers: Record<string, string>;
        timeout_ms: number | null;
        /** Hosted tools that forward to this source */
        imported_tools: number;
        last_discovered_at: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/hosted-servers/{name}/module-requests": {
    /** Ask an admin to allow a Python module. Scope: write. */
    post: {
      path: {
        /** Hosted server name */
        name: string;
      };
      body: {
        /** A Python module name, e.g. "xml.etree.ElementTree" */
        module: string;
        justification: string;
        tool_id?: string;
      };
      response: {
        id: string;
        kind: "module" | "network";
        server: string;
        tool_id: string | null;
        /** The module name, or host[:port] */
        target: string;
        justification: string;
        status: "pending" | "approved" | "rejected" | "revoked";
        requested_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        requested_via: "api" | "mcp";
        decided_by: string | null;
        decided_at: string | null;
        reason: string | null;
        created_at: string;
      };
    };
  };
  "/api/hosted-servers/{name}/network-requests": {
    /** Ask an admin to let the server's tools reach a host. Scope: write. */
    post: {
      path: {
        /** Hosted server name */
        name: string;
      };
      body: {
        /** `host` or `host:port` */
        host: string;
        justification: string;
        tool_id?: string;
      };
      response: {
        id: string;
        kind: "module" | "network";
        server: string;
        tool_id: string | null;
        /** The module name, or host[:port] */
        target: string;
        justification: string;
        status: "pending" | "approved" | "rejected" | "revoked";
        requested_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        requested_via: "api" | "mcp";
        decided_by: string | null;
        decided_at: string | null;
        reason: string | null;
        created_at: string;
      };
    };
  };
  "/api/hosted-servers/{name}/start": {
    /** Start: publish its approved tools to MCP clients. Scope: write. */
    post: {
      path: {
        /** Hosted server name */
        name: string;
      };
      response: {
        name: string;
        description: string | null;
        /** Running servers publish their approved tools to MCP clients */
        running: boolean;
        allowed_hosts: string[];
        timeout_ms: number | null;
        tools: {
          total: number;
          approved: number;
          listed: number;
        };
        problem: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/hosted-servers/{name}/stop": {
    /** Stop: withdraw its tools from MCP clients. Scope: write. */
    post: {
      path: {
        /** Hosted server name */
        name: string;
      };
      response: {
        name: string;
        description: string | null;
        /** Running servers publish their approved tools to MCP clients */
        running: boolean;
        allowed_hosts: string[];
        timeout_ms: number | null;
        tools: {
          total: number;
          approved: number;
          listed: number;
        };
        problem: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/hosted-servers/{name}/tools": {
    /** List a hosted server's tools. Scope: read. */
    get: {
      path: {
        /** Hosted server name */
        name: string;
      };
      response: {
        items: {
          id: string;
          server: string;
          name: string;
          description: string | null;
          status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
          version: number;
          input_schema: Record<string, unknown>;
          /** Present where one tool is shown */
          code?: string;
          /** The language of the code: python (Pyodide) or javascript (QuickJS) */
          language: "python" | "javascript";
          /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
          kind: "python" | "external";
          external: {
            source_id: string;
            source: string | null;
            /** The tool's name on the source */
            tool: string;
          } | null;
          /** Approved and its server running: MCP clients (the gate permitting) see it */
          listed: boolean;
          /** kind:id of the principal whose change made the current code or publish request */
          submitted_by: string;
          /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
          submitted_via: "api" | "mcp";
          review: {
            by: string;
            at: string;
            reason: string | null;
          } | null;
          publish_requested_at: string | null;
          publish_note: string | null;
          created_by: string;
          created_at: string;
          updated_at: string;
        }[];
      };
    };
    /** Create a tool (draft); the code is validated and its input schema derived. Scope: write. */
    post: {
      path: {
        /** Hosted server name */
        name: string;
      };
      body: {
        name: string;
        /** Default: the docstring of `main` */
        description?: string;
        /** Python source defining `async def main(...)`, or JavaScript defining `main(args)` (see language) */
        code: string;
        /** `python` (default): `async def main(...)`; `javascript`: `export default async function main(args)` */
        language?: "python" | "javascript";
      };
      response: {
        id: string;
        server: string;
        name: string;
        description: string | null;
        status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
        version: number;
        input_schema: Record<string, unknown>;
        /** Present where one tool is shown */
        code?: string;
        /** The language of the code: python (Pyodide) or javascript (QuickJS) */
        language: "python" | "javascript";
        /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
        kind: "python" | "external";
        external: {
          source_id: string;
          source: string | null;
          /** The tool's name on the source */
          tool: string;
        } | null;
        /** Approved and its server running: MCP clients (the gate permitting) see it */
        listed: boolean;
        /** kind:id of the principal whose change made the current code or publish request */
        submitted_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        submitted_via: "api" | "mcp";
        review: {
          by: string;
          at: string;
          reason: string | null;
        } | null;
        publish_requested_at: string | null;
        publish_note: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/import": {
    /** Import servers (any format, auto-detected); dry_run=true returns the plan only. Imported servers start quarantined. Scope: admin. */
    post: {
      query?: {
        /** true: return the plan and change nothing */
        dry_run?: "true" | "false";
      };
      body: unknown;
      response: {
        format: "backup" | "generic" | "claude" | "cursor" | "vscode" | "mcpproxy" | "mcphub";
        dry_run: boolean;
        applied: boolean;
        servers: {
          name: string;
          action: "add" | "update" | "conflict" | "unchanged" | "invalid";
          transport: "stdio" | "sse" | "streamable-http";
          reason?: string;
        }[];
        summary: {
          add: number;
          update: number;
          conflict: number;
          unchanged: number;
          invalid: number;
        };
        /** Backups only */
        settings: ("update" | "unchanged") | null;
        /** Backups only; values are never shown */
        secrets: {
          server: string;
          name: string;
          action: "add" | "update" | "unchanged";
          value: "restored" | "placeholder";
        }[];
        /** Backups only: stored profiles */
        profiles: {
          name: string;
          action: "add" | "update" | "unchanged" | "remove" | "conflict" | "invalid";
          reason?: string;
        }[];
        /** Backups only: tool and prompt pins with the approval state they get; remove: a pin of a restored server the backup does not have */
        pins: {
          server: string;
          kind: string;
          name: string;
          state: string;
          action: "add" | "update" | "unchanged" | "remove" | "conflict" | "invalid";
        }[];
        /** Backups only: hosted servers, each replaced whole with its tools (every version), module and network requests */
        hosted: {
          name: string;
          action: "add" | "update" | "unchanged" | "remove" | "conflict" | "invalid";
          reason?: string;
          tools: {
            id: string;
            name: string;
            status: string;
            versions: number;
          }[];
          requests: {
            id: string;
            kind: string;
            target: string;
            status: string;
          }[];
        }[];
        warnings: string[];
      };
    };
  };
  "/api/info": {
    /** Version, runtime and endpoint addresses. Scope: read. */
    get: {
      response: {
        name: "switchboard";
        version: string;
        node_version: string;
        platform: string;
        arch: string;
        pid: number;
        started_at: string;
        data_dir: string;
        config_path: string | null;
        endpoints: {
          mcp: string;
          sse: string;
          api: string;
          docs: string;
          openapi: string;
          events: string;
          health: string;
        };
      };
    };
  };
  "/api/keys": {
    /** List API keys (admins: all; others: their own), newest first. Scope: read. */
    get: {
      query?: {
        page?: number;
        page_size?: number;
      };
      response: {
        items: {
          id: string;
          name: string;
          /** The first characters of the secret, for recognising it */
          prefix: string;
          scopes: ("read" | "write" | "execute" | "admin")[];
          /** Server allow-list (globs on whole names); null: every server */
          servers: string[] | null;
          /** Tool allow-list (globs on whole names); null: every tool */
          tools: string[] | null;
          expires_at: string | null;
          created_by: {
            kind: string;
            id: string;
            name: string;
          };
          /** ISO-8601 UTC */
          created_at: string;
          revoked_at: string | null;
          /** Written in batches: up to a few seconds behind */
          last_used_at: string | null;
          status: "active" | "revoked" | "expired";
        }[];
        total: number;
        page: number;
        page_size: number;
        pages: number;
      };
    };
    /** Create an API key with scopes, optional server/tool allow-lists and expiry; the secret is returned once. Scope: read. */
    post: {
      body: {
        name: string;
        /** Non-admins can only give scopes they hold */
        scopes: ("read" | "write" | "execute" | "admin")[];
        /** Allow-list of server names (globs such as "github" or "db-*"); default: every server */
        servers?: string[];
        /** Allow-list of exposed tool names (globs such as "github__get_*"); default: every tool */
        tools?: string[];
        /** ISO-8601 time in the future */
        expires_at?: string;
        /** Relative expiry: 90m, 12h, 30d, 8w */
        expires_in?: string;
      };
      response: {
        /** ApiKey */
        key: {
          id: string;
          name: string;
          /** The first characters of the secret, for recognising it */
          prefix: string;
          scopes: ("read" | "write" | "execute" | "admin")[];
          /** Server allow-list (globs on whole names); null: every server */
          servers: string[] | null;
          /** Tool allow-list (globs on whole names); null: every tool */
          tools: string[] | null;
          expires_at: string | null;
          created_by: {
            kind: string;
            id: string;
            name: string;
          };
          /** ISO-8601 UTC */
          created_at: string;
          revoked_at: string | null;
          /** Written in batches: up to a few seconds behind */
          last_used_at: string | null;
          status: "active" | "revoked" | "expired";
        };
        /** The API key. Shown once: it cannot be retrieved again */
        secret: string;
      };
    };
  };
  "/api/keys/{id}": {
    /** Get an API key (never its secret). Scope: read. */
    get: {
      path: {
        id: string;
      };
      response: {
        id: string;
        name: string;
        /** The first characters of the secret, for recognising it */
        prefix: string;
        scopes: ("read" | "write" | "execute" | "admin")[];
        /** Server allow-list (globs on whole names); null: every server */
        servers: string[] | null;
        /** Tool allow-list (globs on whole names); null: every tool */
        tools: string[] | null;
        expires_at: string | null;
        created_by: {
          kind: string;
          id: string;
          name: string;
        };
        /** ISO-8601 UTC */
        created_at: string;
        revoked_at: string | null;
        /** Written in batches: up to a few seconds behind */
        last_used_at: string | null;
        status: "active" | "revoked" | "expired";
      };
    };
    /** Revoke an API key (it stays listed as revoked); idempotent. Scope: read. */
    delete: {
      path: {
        id: string;
      };
      response: {
        id: string;
        name: string;
        /** The first characters of the secret, for recognising it */
        prefix: string;
        scopes: ("read" | "write" | "execute" | "admin")[];
        /** Server allow-list (globs on whole names); null: every server */
        servers: string[] | null;
        /** Tool allow-list (globs on whole names); null: every tool */
        tools: string[] | null;
        expires_at: string | null;
        created_by: {
          kind: string;
          id: string;
          name: string;
        };
        /** ISO-8601 UTC */
        created_at: string;
        revoked_at: string | null;
        /** Written in batches: up to a few seconds behind */
        last_used_at: string | null;
        status: "active" | "revoked" | "expired";
      };
    };
  };
  "/api/profiles": {
    /** List profiles. Scope: read. */
    get: {
      response: {
        items: {
          description?: string;
          tools: {
            /** An exposed tool name or glob ("github__*"), or the server/tool form ("github/create_*", matched against the upstream's own names) */
            match: string;
            /** Present the tool under this name (only when `match` names one tool, without globs) */
            name?: string;
            title?: string;
            description?: string;
            /** Merged over the upstream's annotations */
            annotations?: {
              title?: string;
              readOnlyHint?: boolean;
              destructiveHint?: boolean;
              idempotentHint?: boolean;
              openWorldHint?: boolean;
            };
          }[];
          name: string;
          source: "config" | "api";
          /** Where MCP clients connect to it */
          endpoint: string;
          created_by: string | null;
          created_at: string | null;
          updated_at: string | null;
        }[];
      };
    };
    /** Create a profile. Scope: admin. */
    post: {
      body: {
        name: string;
        [key: string]: unknown;
      };
      response: {
        description?: string;
        tools: {
          /** An exposed tool name or glob ("github__*"), or the server/tool form ("github/create_*", matched against the upstream's own names) */
          match: string;
          /** Present the tool under this name (only when `match` names one tool, without globs) */
          name?: string;
          title?: string;
          description?: string;
          /** Merged over the upstream's annotations */
          annotations?: {
            title?: string;
            readOnlyHint?: boolean;
            destructiveHint?: boolean;
            idempotentHint?: boolean;
            openWorldHint?: boolean;
          };
        }[];
        name: string;
        source: "config" | "api";
        /** Where MCP clients connect to it */
        endpoint: string;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/profiles/{name}": {
    /** Get a profile. Scope: read. */
    get: {
      path: {
        name: string;
      };
      response: {
        description?: string;
        tools: {
          /** An exposed tool name or glob ("github__*"), or the server/tool form ("github/create_*", matched against the upstream's own names) */
          match: string;
          /** Present the tool under this name (only when `match` names one tool, without globs) */
          name?: string;
          title?: string;
          description?: string;
          /** Merged over the upstream's annotations */
          annotations?: {
            title?: string;
            readOnlyHint?: boolean;
            destructiveHint?: boolean;
            idempotentHint?: boolean;
            openWorldHint?: boolean;
          };
        }[];
        name: string;
        source: "config" | "api";
        /** Where MCP clients connect to it */
        endpoint: string;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
    /** Replace a profile. Scope: admin. */
    put: {
      path: {
        name: string;
      };
      body: Record<string, unknown>;
      response: {
        description?: string;
        tools: {
          /** An exposed tool name or glob ("github__*"), or the server/tool form ("github/create_*", matched against the upstream's own names) */
          match: string;
          /** Present the tool under this name (only when `match` names one tool, without globs) */
          name?: string;
          title?: string;
          description?: string;
          /** Merged over the upstream's annotations */
          annotations?: {
            title?: string;
            readOnlyHint?: boolean;
            destructiveHint?: boolean;
            idempotentHint?: boolean;
            openWorldHint?: boolean;
          };
        }[];
        name: string;
        source: "config" | "api";
        /** Where MCP clients connect to it */
        endpoint: string;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
    /** Delete a profile. Scope: admin. */
    delete: {
      path: {
        name: string;
      };
      response: void;
    };
  };
  "/api/servers": {
    /** List servers (config file and stored) with admin and live state. Scope: read. */
    get: {
      query?: {
        page?: number;
        page_size?: number;
        /** Only servers in this admin state */
        admin_state?: "enabled" | "disabled" | "quarantined";
      };
      response: {
        items: {
          name: string;
          /** config: from the config file (read-only here); api: added through the API, CLI or an import */
          source: "config" | "api";
          description: string | null;
          transport: "stdio" | "sse" | "streamable-http";
          command: string | null;
          args: string[];
          /** Values other than ${env:…}/${secret:…} placeholders are masked */
          env: Record<string, string>;
          cwd: string | null;
          url: string | null;
          /** Values other than placeholders are masked */
          headers: Record<string, string>;
          alias: string | null;
          timeout_ms: number;
          /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
          session_scope: ("caller" | "shared") | null;
          enabled: boolean;
          quarantined: boolean;
          quarantine: {
            by: string;
            at: string;
            reason: string;
          } | null;
          approved: {
            by: string;
            at: string;
          } | null;
          disabled_tools: string[];
          allowed_hosts: string[];
          state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
          connected: boolean;
          /** Health, derived from the state */
          health: {
            level: "healthy" | "degraded" | "unhealthy";
            admin_state: "enabled" | "disabled" | "quarantined";
            summary: string;
            detail: string;
            /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
            action: string;
          };
          tool_count: number;
          resource_count: number;
          prompt_count: number;
          pid: number | null;
          /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
          protocol_era: ("legacy" | "modern") | null;
          /** Why the server cannot start (invalid definition, missing secret) */
          problem: string | null;
          created_by: string | null;
          created_at: string | null;
          updated_at: string | null;
        }[];
        total: number;
        page: number;
        page_size: number;
        pages: number;
      };
    };
    /** Add a server (quarantined until an admin approves it, unless an admin adds it). Scope: write. */
    post: {
      body: {
        name: string;
        /** Default: stdio with `command`, streamable-http (or sse for a URL ending in /sse) with `url` */
        transport?: "stdio" | "sse" | "streamable-http" | "http";
        /** Executable of a local (stdio) server */
        command?: string;
        args?: string[];
        /** Environment of a stdio server; values may use ${env:NAME} and ${secret:NAME} */
        env?: Record<string, string>;
        cwd?: string;
        /** URL of a remote (SSE or Streamable HTTP) server */
        url?: string;
        headers?: Record<string, string>;
        /** Replaces the name as the tool-name prefix */
        alias?: string;
        timeout_ms?: number;
        /** Remote servers: one upstream session per caller identity (caller, the default) or one for everyone (shared) */
        session_scope?: "caller" | "shared";
        description?: string;
        enabled?: boolean;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/disable_all": {
    /** Bulk: disable all servers. Scope: admin. */
    post: {
      response: {
        action: "enable_all" | "disable_all" | "restart_all" | "reconnect";
        /** The servers the action touched */
        servers: string[];
      };
    };
  };
  "/api/servers/enable_all": {
    /** Bulk: enable all servers. Scope: admin. */
    post: {
      response: {
        action: "enable_all" | "disable_all" | "restart_all" | "reconnect";
        /** The servers the action touched */
        servers: string[];
      };
    };
  };
  "/api/servers/reconnect": {
    /** Bulk: reconnect servers. Scope: admin. */
    post: {
      response: {
        action: "enable_all" | "disable_all" | "restart_all" | "reconnect";
        /** The servers the action touched */
        servers: string[];
      };
    };
  };
  "/api/servers/restart_all": {
    /** Bulk: restart all servers. Scope: admin. */
    post: {
      response: {
        action: "enable_all" | "disable_all" | "restart_all" | "reconnect";
        /** The servers the action touched */
        servers: string[];
      };
    };
  };
  "/api/servers/{name}": {
    /** Get one server. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
    /** Replace a stored server's definition (config-file servers: 409). Scope: write. */
    put: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        /** Default: stdio with `command`, streamable-http (or sse for a URL ending in /sse) with `url` */
        transport?: "stdio" | "sse" | "streamable-http" | "http";
        /** Executable of a local (stdio) server */
        command?: string;
        args?: string[];
        /** Environment of a stdio server; values may use ${env:NAME} and ${secret:NAME} */
        env?: Record<string, string>;
        cwd?: string;
        /** URL of a remote (SSE or Streamable HTTP) server */
        url?: string;
        headers?: Record<string, string>;
        /** Replaces the name as the tool-name prefix */
        alias?: string;
        timeout_ms?: number;
        /** Remote servers: one upstream session per caller identity (caller, the default) or one for everyone (shared) */
        session_scope?: "caller" | "shared";
        description?: string;
        enabled?: boolean;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
    /** Update a server: any definition field of a stored server (null clears it), or `enabled` of any server. Scope: write. */
    patch: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        transport?: ("stdio" | "sse" | "streamable-http" | "http") | null;
        command?: string | null;
        args?: string[];
        /** Environment of a stdio server; values may use ${env:NAME} and ${secret:NAME} */
        env?: Record<string, string>;
        cwd?: string | null;
        url?: string | null;
        headers?: Record<string, string>;
        alias?: string | null;
        timeout_ms?: number | null;
        session_scope?: ("caller" | "shared") | null;
        description?: string | null;
        enabled?: boolean;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
    /** Delete a stored server (config-file servers: 409; disable or quarantine them instead). Scope: write. */
    delete: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        deleted: string;
      };
    };
  };
  "/api/servers/{name}/allowed-hosts": {
    /** Network hosts the server may reach. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        server: string;
        allowed_hosts: string[];
      };
    };
    /** Replace the allowed hosts. Scope: write. */
    put: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        /** host, host:port, *.domain or [IPv6]:port */
        allowed_hosts: string[];
      };
      response: {
        server: string;
        allowed_hosts: string[];
      };
    };
    /** Add an allowed host. Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        host: string;
      };
      response: {
        server: string;
        allowed_hosts: string[];
      };
    };
    /** Remove an allowed host (?host=…). Scope: write. */
    delete: {
      path: {
        /** Server name */
        name: string;
      };
      query: {
        host: string;
      };
      response: {
        server: string;
        allowed_hosts: string[];
      };
    };
  };
  "/api/servers/{name}/approve": {
    /** Approve (unquarantine) a server. Scope: admin. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/{name}/disable": {
    /** Disable a server (kept across restarts and config reloads). Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/{name}/enable": {
    /** Enable a server (kept across restarts and config reloads). Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/{name}/invoke": {
    /** Call one of the server's tools (same policy gate and activity log as /mcp). Scope: execute. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        /** The server's own tool name */
        tool_name: string;
        arguments?: Record<string, unknown>;
      };
      response: {
        /** error when the tool reported a failure (isError) */
        status: "ok" | "error";
        server: string;
        tool_name: string;
        exposed_name: string;
        elapsed_ms: number;
        result: {
          content?: Record<string, unknown>[];
          structuredContent?: Record<string, unknown>;
          isError?: boolean;
          [key: string]: unknown;
        };
      };
    };
  };
  "/api/servers/{name}/logs": {
    /** The tail of the server's stderr and its recent state changes. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
      };
      query?: {
        lines?: number;
      };
      response: {
        server: string;
        /** The tail of the process's stderr, oldest first */
        lines: {
          at: string;
          line: string;
        }[];
        dropped_lines: number;
        /** State changes, newest first */
        events: {
          at: string;
          state: string;
        }[];
      };
    };
  };
  "/api/servers/{name}/prompts/{item}/approve": {
    /** Approve the prompt's current definition (it becomes visible). Scope: admin. */
    post: {
      path: {
        /** Server name */
        name: string;
        /** Tool or prompt name as the upstream names it */
        item: string;
      };
      response: {
        server: string;
        kind: "tool" | "prompt";
        name: string;
        /** Only approved tools and prompts are listed and callable */
        state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
        /** Offered in the upstream's current listing */
        present: boolean;
        /** sha256 of the current definition (name, title, description, schemas, annotations) */
        fingerprint: string;
        approved_fingerprint: string | null;
        findings: {
          /** Stable rule id, see docs/search-and-trust.md */
          rule: string;
          severity: "low" | "medium" | "high";
          /** JSON path of the text, e.g. inputSchema.properties.path.description */
          field: string;
          /** The offending text, shortened; invisible characters shown as \u{...} */
          evidence: string;
        }[];
        decided_by: string | null;
        updated_at: string;
      };
    };
  };
  "/api/servers/{name}/prompts/{item}/block": {
    /** Block the prompt (hidden and refused until approved). Scope: admin. */
    post: {
      path: {
        /** Server name */
        name: string;
        /** Tool or prompt name as the upstream names it */
        item: string;
      };
      response: {
        server: string;
        kind: "tool" | "prompt";
        name: string;
        /** Only approved tools and prompts are listed and callable */
        state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
        /** Offered in the upstream's current listing */
        present: boolean;
        /** sha256 of the current definition (name, title, description, schemas, annotations) */
        fingerprint: string;
        approved_fingerprint: string | null;
        findings: {
          /** Stable rule id, see docs/search-and-trust.md */
          rule: string;
          severity: "low" | "medium" | "high";
          /** JSON path of the text, e.g. inputSchema.properties.path.description */
          field: string;
          /** The offending text, shortened; invisible characters shown as \u{...} */
          evidence: string;
        }[];
        decided_by: string | null;
        updated_at: string;
      };
    };
  };
  "/api/servers/{name}/prompts/{item}/diff": {
    /** What changed in a prompt since it was approved. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
        /** Tool or prompt name as the upstream names it */
        item: string;
      };
      response: {
        server: string;
        kind: "tool" | "prompt";
        name: string;
        /** Only approved tools and prompts are listed and callable */
        state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
        /** Offered in the upstream's current listing */
        present: boolean;
        /** sha256 of the current definition (name, title, description, schemas, annotations) */
        fingerprint: string;
        approved_fingerprint: string | null;
        findings: {
          /** Stable rule id, see docs/search-and-trust.md */
          rule: string;
          severity: "low" | "medium" | "high";
          /** JSON path of the text, e.g. inputSchema.properties.path.description */
          field: string;
          /** The offending text, shortened; invisible characters shown as \u{...} */
          evidence: string;
        }[];
        decided_by: string | null;
        updated_at: string;
        /** The approved definition; null if never approved */
        approved: Record<string, unknown> | null;
        current: Record<string, unknown>;
        changes: {
          path: string;
          change: "added" | "removed" | "changed";
          before?: unknown;
          after?: unknown;
        }[];
      };
    };
  };
  "/api/servers/{name}/quarantine": {
    /** Quarantine a server: it stops and its tools disappear until approved. Scope: admin. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        /** false lifts the quarantine (the same as /approve) */
        quarantined?: boolean;
        reason?: string;
      } | null;
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/{name}/restart": {
    /** Restart a server's connection (not persisted: the admin state decides what runs after a restart). Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/{name}/secrets": {
    /** List a server's secrets (names and status; values are never returned). Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
      };
      query?: {
        page?: number;
        page_size?: number;
      };
      response: {
        items: {
          name: string;
          has_value: boolean;
          /** missing: a placeholder without a value; unreadable: sealed with another master key */
          status: "set" | "missing" | "unreadable";
          created_at: string;
          updated_at: string;
        }[];
        total: number;
        page: number;
        page_size: number;
        pages: number;
      };
    };
    /** Create a secret: a placeholder without a value, or with one. Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        /** Letters, digits and _, not starting with a digit; referenced as ${secret:NAME} */
        name: string;
        /** Omit to create a placeholder (status "missing") to fill in later */
        value?: string;
      };
      response: {
        name: string;
        has_value: boolean;
        /** missing: a placeholder without a value; unreadable: sealed with another master key */
        status: "set" | "missing" | "unreadable";
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/servers/{name}/secrets/{key}": {
    /** Set a secret's value (creates the secret if needed); servers using it restart with the new value. Scope: write. */
    put: {
      path: {
        /** Server name */
        name: string;
        /** Secret name */
        key: string;
      };
      body: {
        /** The secret value; stored encrypted, never shown again */
        value: string;
      };
      response: {
        name: string;
        has_value: boolean;
        /** missing: a placeholder without a value; unreadable: sealed with another master key */
        status: "set" | "missing" | "unreadable";
        created_at: string;
        updated_at: string;
      };
    };
    /** Delete a secret. Scope: write. */
    delete: {
      path: {
        /** Server name */
        name: string;
        /** Secret name */
        key: string;
      };
      response: {
        deleted: string;
      };
    };
  };
  "/api/servers/{name}/start": {
    /** Start a server's connection (not persisted: the admin state decides what runs after a restart). Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/{name}/status": {
    /** Live state, health and connection details. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
        protocol_version: string | null;
        server_info: Record<string, unknown> | null;
      };
    };
  };
  "/api/servers/{name}/stop": {
    /** Stop a server's connection (not persisted: the admin state decides what runs after a restart). Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        name: string;
        /** config: from the config file (read-only here); api: added through the API, CLI or an import */
        source: "config" | "api";
        description: string | null;
        transport: "stdio" | "sse" | "streamable-http";
        command: string | null;
        args: string[];
        /** Values other than ${env:…}/${secret:…} placeholders are masked */
        env: Record<string, string>;
        cwd: string | null;
        url: string | null;
        /** Values other than placeholders are masked */
        headers: Record<string, string>;
        alias: string | null;
        timeout_ms: number;
        /** Remote servers: caller = one upstream session per caller identity, shared = one for everyone; null for stdio */
        session_scope: ("caller" | "shared") | null;
        enabled: boolean;
        quarantined: boolean;
        quarantine: {
          by: string;
          at: string;
          reason: string;
        } | null;
        approved: {
          by: string;
          at: string;
        } | null;
        disabled_tools: string[];
        allowed_hosts: string[];
        state: "disabled" | "stopped" | "starting" | "ready" | "degraded" | "backoff" | "error" | "needs_auth" | "stopping";
        connected: boolean;
        /** Health, derived from the state */
        health: {
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: "enabled" | "disabled" | "quarantined";
          summary: string;
          detail: string;
          /** Suggested remediation: restart, enable, approve, set_secret, view_logs, wait, or empty */
          action: string;
        };
        tool_count: number;
        resource_count: number;
        prompt_count: number;
        pid: number | null;
        /** Protocol era the connected upstream speaks: legacy (2025, initialize) or modern (2026-07-28, server/discover); null while not connected */
        protocol_era: ("legacy" | "modern") | null;
        /** Why the server cannot start (invalid definition, missing secret) */
        problem: string | null;
        created_by: string | null;
        created_at: string | null;
        updated_at: string | null;
      };
    };
  };
  "/api/servers/{name}/test": {
    /** Test connectivity: connect afresh, list tools, disconnect (quarantined servers: admins only). Scope: write. */
    post: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        timeout_ms?: number;
      } | null;
      response: {
        status: "ok" | "error";
        connected: boolean;
        elapsed_ms: number;
        tools_count: number;
        tools: {
          name: string;
          description: string | null;
        }[];
        server_info: Record<string, unknown> | null;
        error: string | null;
      };
    };
  };
  "/api/servers/{name}/tools": {
    /** The server's tools with their disabled state. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        server: string;
        connected: boolean;
        tools: {
          /** The server's own tool name */
          name: string;
          /** The name on /mcp; null while disabled */
          exposed_name: string | null;
          title: string | null;
          description: string | null;
          input_schema: Record<string, unknown> | null;
          disabled: boolean;
        }[];
        disabled_tools: string[];
      };
    };
  };
  "/api/servers/{name}/tools/disabled": {
    /** Set which of the server's tools are disabled (hidden and refused for everyone). Scope: write. */
    put: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        disabled_tools: string[];
      };
      response: {
        server: string;
        connected: boolean;
        tools: {
          /** The server's own tool name */
          name: string;
          /** The name on /mcp; null while disabled */
          exposed_name: string | null;
          title: string | null;
          description: string | null;
          input_schema: Record<string, unknown> | null;
          disabled: boolean;
        }[];
        disabled_tools: string[];
      };
    };
  };
  "/api/servers/{name}/tools/{item}/approve": {
    /** Approve the tool's current definition (it becomes visible). Scope: admin. */
    post: {
      path: {
        /** Server name */
        name: string;
        /** Tool or prompt name as the upstream names it */
        item: string;
      };
      response: {
        server: string;
        kind: "tool" | "prompt";
        name: string;
        /** Only approved tools and prompts are listed and callable */
        state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
        /** Offered in the upstream's current listing */
        present: boolean;
        /** sha256 of the current definition (name, title, description, schemas, annotations) */
        fingerprint: string;
        approved_fingerprint: string | null;
        findings: {
          /** Stable rule id, see docs/search-and-trust.md */
          rule: string;
          severity: "low" | "medium" | "high";
          /** JSON path of the text, e.g. inputSchema.properties.path.description */
          field: string;
          /** The offending text, shortened; invisible characters shown as \u{...} */
          evidence: string;
        }[];
        decided_by: string | null;
        updated_at: string;
      };
    };
  };
  "/api/servers/{name}/tools/{item}/block": {
    /** Block the tool (hidden and refused until approved). Scope: admin. */
    post: {
      path: {
        /** Server name */
        name: string;
        /** Tool or prompt name as the upstream names it */
        item: string;
      };
      response: {
        server: string;
        kind: "tool" | "prompt";
        name: string;
        /** Only approved tools and prompts are listed and callable */
        state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
        /** Offered in the upstream's current listing */
        present: boolean;
        /** sha256 of the current definition (name, title, description, schemas, annotations) */
        fingerprint: string;
        approved_fingerprint: string | null;
        findings: {
          /** Stable rule id, see docs/search-and-trust.md */
          rule: string;
          severity: "low" | "medium" | "high";
          /** JSON path of the text, e.g. inputSchema.properties.path.description */
          field: string;
          /** The offending text, shortened; invisible characters shown as \u{...} */
          evidence: string;
        }[];
        decided_by: string | null;
        updated_at: string;
      };
    };
  };
  "/api/servers/{name}/tools/{item}/diff": {
    /** What changed in a tool since it was approved. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
        /** Tool or prompt name as the upstream names it */
        item: string;
      };
      response: {
        server: string;
        kind: "tool" | "prompt";
        name: string;
        /** Only approved tools and prompts are listed and callable */
        state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
        /** Offered in the upstream's current listing */
        present: boolean;
        /** sha256 of the current definition (name, title, description, schemas, annotations) */
        fingerprint: string;
        approved_fingerprint: string | null;
        findings: {
          /** Stable rule id, see docs/search-and-trust.md */
          rule: string;
          severity: "low" | "medium" | "high";
          /** JSON path of the text, e.g. inputSchema.properties.path.description */
          field: string;
          /** The offending text, shortened; invisible characters shown as \u{...} */
          evidence: string;
        }[];
        decided_by: string | null;
        updated_at: string;
        /** The approved definition; null if never approved */
        approved: Record<string, unknown> | null;
        current: Record<string, unknown>;
        changes: {
          path: string;
          change: "added" | "removed" | "changed";
          before?: unknown;
          after?: unknown;
        }[];
      };
    };
  };
  "/api/servers/{name}/trust": {
    /** The server's pinned tools and prompts with their states and findings. Scope: read. */
    get: {
      path: {
        /** Server name */
        name: string;
      };
      response: {
        server: string;
        /** What applies: the override, or the setting of the same name */
        auto_approve_tool_changes: boolean;
        auto_approve_override: boolean | null;
        counts: Record<string, number>;
        tools: {
          server: string;
          kind: "tool" | "prompt";
          name: string;
          /** Only approved tools and prompts are listed and callable */
          state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
          /** Offered in the upstream's current listing */
          present: boolean;
          /** sha256 of the current definition (name, title, description, schemas, annotations) */
          fingerprint: string;
          approved_fingerprint: string | null;
          findings: {
            /** Stable rule id, see docs/search-and-trust.md */
            rule: string;
            severity: "low" | "medium" | "high";
            /** JSON path of the text, e.g. inputSchema.properties.path.description */
            field: string;
            /** The offending text, shortened; invisible characters shown as \u{...} */
            evidence: string;
          }[];
          decided_by: string | null;
          updated_at: string;
        }[];
        prompts: {
          server: string;
          kind: "tool" | "prompt";
          name: string;
          /** Only approved tools and prompts are listed and callable */
          state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
          /** Offered in the upstream's current listing */
          present: boolean;
          /** sha256 of the current definition (name, title, description, schemas, annotations) */
          fingerprint: string;
          approved_fingerprint: string | null;
          findings: {
            /** Stable rule id, see docs/search-and-trust.md */
            rule: string;
            severity: "low" | "medium" | "high";
            /** JSON path of the text, e.g. inputSchema.properties.path.description */
            field: string;
            /** The offending text, shortened; invisible characters shown as \u{...} */
            evidence: string;
          }[];
          decided_by: string | null;
          updated_at: string;
        }[];
      };
    };
    /** Set auto_approve_tool_changes for this server. Scope: admin. */
    patch: {
      path: {
        /** Server name */
        name: string;
      };
      body: {
        /** true/false for this server; null follows the setting */
        auto_approve_tool_changes: boolean | null;
      };
      response: {
        server: string;
        /** What applies: the override, or the setting of the same name */
        auto_approve_tool_changes: boolean;
        auto_approve_override: boolean | null;
        counts: Record<string, number>;
        tools: {
          server: string;
          kind: "tool" | "prompt";
          name: string;
          /** Only approved tools and prompts are listed and callable */
          state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
          /** Offered in the upstream's current listing */
          present: boolean;
          /** sha256 of the current definition (name, title, description, schemas, annotations) */
          fingerprint: string;
          approved_fingerprint: string | null;
          findings: {
            /** Stable rule id, see docs/search-and-trust.md */
            rule: string;
            severity: "low" | "medium" | "high";
            /** JSON path of the text, e.g. inputSchema.properties.path.description */
            field: string;
            /** The offending text, shortened; invisible characters shown as \u{...} */
            evidence: string;
          }[];
          decided_by: string | null;
          updated_at: string;
        }[];
        prompts: {
          server: string;
          kind: "tool" | "prompt";
          name: string;
          /** Only approved tools and prompts are listed and callable */
          state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
          /** Offered in the upstream's current listing */
          present: boolean;
          /** sha256 of the current definition (name, title, description, schemas, annotations) */
          fingerprint: string;
          approved_fingerprint: string | null;
          findings: {
            /** Stable rule id, see docs/search-and-trust.md */
            rule: string;
            severity: "low" | "medium" | "high";
            /** JSON path of the text, e.g. inputSchema.properties.path.description */
            field: string;
            /** The offending text, shortened; invisible characters shown as \u{...} */
            evidence: string;
          }[];
          decided_by: string | null;
          updated_at: string;
        }[];
      };
    };
  };
  "/api/sessions": {
    /** Active MCP client sessions. Scope: read. */
    get: {
      query?: {
        page?: number;
        page_size?: number;
      };
      response: {
        items: {
          id: string;
          transport: string;
          caller?: string;
          createdAt: string;
          lastSeen: string;
        }[];
        total: number;
        page: number;
        page_size: number;
        pages: number;
      };
    };
  };
  "/api/settings": {
    /** Get all settings. Scope: read. */
    get: {
      response: {
        settings: {
          /** Security policy: servers written in the config file start quarantined too, until an admin approves them */
          quarantine_config_servers: boolean;
          /** Security policy: when an approved server's tools change, accept the change without an admin */
          auto_approve_tool_changes: boolean;
          /** Security policy: failed logins (per account and address) within the window before a lockout */
          login_max_attempts: number;
          /** Security policy: window over which failed logins are counted */
          login_window_minutes: number;
          /** Security policy: how long a locked-out login stays locked */
          login_lockout_minutes: number;
          /** Security policy: requests per minute allowed for each API key or token on the REST API; 0 means no limit */
          api_key_rate_limit_per_minute: number;
          /** Security policy: browser origins allowed to call the REST API (CORS); "*" allows any origin, never with credentials */
          cors_allowed_origins: string[];
          /** Security policy: the MCP management tools (switchboard_*) may create and edit hosted tools; off, they can only read */
          remote_tool_editing: boolean;
          /** Security policy: require_approval keeps every hosted tool out of the catalogue until an admin approves it; auto_approve approves publish requests an admin makes through the REST API or CLI (never requests made through MCP) */
          tool_approval_mode: "require_approval" | "auto_approve";
          /** Security policy: allowlist lets hosted tools reach only their server's allowed hosts and approved network requests; public adds any public host (private, loopback and metadata addresses stay blocked) */
          network_access_policy: "allowlist" | "public";
          /** Security policy: whether a module request needs an admin; always-forbidden modules are refused either way */
          module_approval_mode: "require_approval" | "auto_approve";
          /** Security policy: mask a hosted server's secret values in execution logs (arguments, result, stdout, errors) */
          redact_secrets_in_output: boolean;
          /** Security policy: callers without the admin scope may test-run hosted tools that are not approved yet (admins always may) */
          test_before_approval: boolean;
          /** Security policy: refuse to run hosted tools when any sandbox isolation layer is unavailable on this host (see switchboard doctor) */
          hosted_require_all_layers: boolean;
          /** Security policy: offer the switchboard_* management tools to MCP clients (as the in-process server "switchboard", subject to key scopes and the policy gate) */
          mcp_management_tools: boolean;
          /** Python modules hosted tools may import beyond the default whitelist (admins extend it; tools can only request) */
          allowed_modules_extra: string[];
          /** Hosted-tool execution logs older than this many days are deleted; 0 keeps everything */
          log_retention_days: number;
          /** Security policy: credentials (cloud and API keys, tokens, private keys, connection strings with a password) and card numbers in tool-call arguments and results: off | detect | redact | block, per direction */
          sensitive_data: {
            /** off: no scan; detect: record findings; redact: replace matches before forwarding; block: refuse the call before it reaches the upstream */
            arguments: "off" | "detect" | "redact" | "block";
            /** off: no scan; detect: record findings; redact: replace matches before returning; block: withhold the result and fail the call */
            results: "off" | "detect" | "redact" | "block";
          };
          /** Activity records older than this many days are deleted by the background cleanup; 0 keeps everything */
          activity_retention_days: number;
        };
        /** null while every value is a default */
        updated_at: string | null;
      };
    };
    /** Change settings (partial, validated, all or nothing). Scope: admin. */
    patch: {
      body: Record<string, unknown>;
      response: {
        settings: {
          /** Security policy: servers written in the config file start quarantined too, until an admin approves them */
          quarantine_config_servers: boolean;
          /** Security policy: when an approved server's tools change, accept the change without an admin */
          auto_approve_tool_changes: boolean;
          /** Security policy: failed logins (per account and address) within the window before a lockout */
          login_max_attempts: number;
          /** Security policy: window over which failed logins are counted */
          login_window_minutes: number;
          /** Security policy: how long a locked-out login stays locked */
          login_lockout_minutes: number;
          /** Security policy: requests per minute allowed for each API key or token on the REST API; 0 means no limit */
          api_key_rate_limit_per_minute: number;
          /** Security policy: browser origins allowed to call the REST API (CORS); "*" allows any origin, never with credentials */
          cors_allowed_origins: string[];
          /** Security policy: the MCP management tools (switchboard_*) may create and edit hosted tools; off, they can only read */
          remote_tool_editing: boolean;
          /** Security policy: require_approval keeps every hosted tool out of the catalogue until an admin approves it; auto_approve approves publish requests an admin makes through the REST API or CLI (never requests made through MCP) */
          tool_approval_mode: "require_approval" | "auto_approve";
          /** Security policy: allowlist lets hosted tools reach only their server's allowed hosts and approved network requests; public adds any public host (private, loopback and metadata addresses stay blocked) */
          network_access_policy: "allowlist" | "public";
          /** Security policy: whether a module request needs an admin; always-forbidden modules are refused either way */
          module_approval_mode: "require_approval" | "auto_approve";
          /** Security policy: mask a hosted server's secret values in execution logs (arguments, result, stdout, errors) */
          redact_secrets_in_output: boolean;
          /** Security policy: callers without the admin scope may test-run hosted tools that are not approved yet (admins always may) */
          test_before_approval: boolean;
          /** Security policy: refuse to run hosted tools when any sandbox isolation layer is unavailable on this host (see switchboard doctor) */
          hosted_require_all_layers: boolean;
          /** Security policy: offer the switchboard_* management tools to MCP clients (as the in-process server "switchboard", subject to key scopes and the policy gate) */
          mcp_management_tools: boolean;
          /** Python modules hosted tools may import beyond the default whitelist (admins extend it; tools can only request) */
          allowed_modules_extra: string[];
          /** Hosted-tool execution logs older than this many days are deleted; 0 keeps everything */
          log_retention_days: number;
          /** Security policy: credentials (cloud and API keys, tokens, private keys, connection strings with a password) and card numbers in tool-call arguments and results: off | detect | redact | block, per direction */
          sensitive_data: {
            /** off: no scan; detect: record findings; redact: replace matches before forwarding; block: refuse the call before it reaches the upstream */
            arguments: "off" | "detect" | "redact" | "block";
            /** off: no scan; detect: record findings; redact: replace matches before returning; block: withhold the result and fail the call */
            results: "off" | "detect" | "redact" | "block";
          };
          /** Activity records older than this many days are deleted by the background cleanup; 0 keeps everything */
          activity_retention_days: number;
        };
        /** null while every value is a default */
        updated_at: string | null;
      };
    };
  };
  "/api/settings/modules": {
    /** The Python module whitelist of hosted tools: defaults and admin additions. Scope: read. */
    get: {
      response: {
        allowed: string[];
        defaults: string[];
        added: string[];
        always_forbidden_examples: string[];
      };
    };
    /** Add or remove modules of the whitelist (always-forbidden modules: 422). Scope: admin. */
    patch: {
      body: {
        add?: string[];
        remove?: string[];
      };
      response: {
        allowed: string[];
        defaults: string[];
        added: string[];
        always_forbidden_examples: string[];
      };
    };
  };
  "/api/settings/security-policy": {
    /** Get the security policy (the security fields of the settings). Scope: read. */
    get: {
      response: {
        /** Security policy: servers written in the config file start quarantined too, until an admin approves them */
        quarantine_config_servers: boolean;
        /** Security policy: when an approved server's tools change, accept the change without an admin */
        auto_approve_tool_changes: boolean;
        /** Security policy: failed logins (per account and address) within the window before a lockout */
        login_max_attempts: number;
        /** Security policy: window over which failed logins are counted */
        login_window_minutes: number;
        /** Security policy: how long a locked-out login stays locked */
        login_lockout_minutes: number;
        /** Security policy: requests per minute allowed for each API key or token on the REST API; 0 means no limit */
        api_key_rate_limit_per_minute: number;
        /** Security policy: browser origins allowed to call the REST API (CORS); "*" allows any origin, never with credentials */
        cors_allowed_origins: string[];
        /** Security policy: the MCP management tools (switchboard_*) may create and edit hosted tools; off, they can only read */
        remote_tool_editing: boolean;
        /** Security policy: require_approval keeps every hosted tool out of the catalogue until an admin approves it; auto_approve approves publish requests an admin makes through the REST API or CLI (never requests made through MCP) */
        tool_approval_mode: "require_approval" | "auto_approve";
        /** Security policy: allowlist lets hosted tools reach only their server's allowed hosts and approved network requests; public adds any public host (private, loopback and metadata addresses stay blocked) */
        network_access_policy: "allowlist" | "public";
        /** Security policy: whether a module request needs an admin; always-forbidden modules are refused either way */
        module_approval_mode: "require_approval" | "auto_approve";
        /** Security policy: mask a hosted server's secret values in execution logs (arguments, result, stdout, errors) */
        redact_secrets_in_output: boolean;
        /** Security policy: callers without the admin scope may test-run hosted tools that are not approved yet (admins always may) */
        test_before_approval: boolean;
        /** Security policy: refuse to run hosted tools when any sandbox isolation layer is unavailable on this host (see switchboard doctor) */
        hosted_require_all_layers: boolean;
        /** Security policy: offer the switchboard_* management tools to MCP clients (as the in-process server "switchboard", subject to key scopes and the policy gate) */
        mcp_management_tools: boolean;
        /** Python modules hosted tools may import beyond the default whitelist (admins extend it; tools can only request) */
        allowed_modules_extra: string[];
        /** Hosted-tool execution logs older than this many days are deleted; 0 keeps everything */
        log_retention_days: number;
        /** Security policy: credentials (cloud and API keys, tokens, private keys, connection strings with a password) and card numbers in tool-call arguments and results: off | detect | redact | block, per direction */
        sensitive_data: {
          /** off: no scan; detect: record findings; redact: replace matches before forwarding; block: refuse the call before it reaches the upstream */
          arguments: "off" | "detect" | "redact" | "block";
          /** off: no scan; detect: record findings; redact: replace matches before returning; block: withhold the result and fail the call */
          results: "off" | "detect" | "redact" | "block";
        };
      };
    };
    /** Change the security policy (partial; other settings keys: 422). Scope: admin. */
    patch: {
      body: Record<string, unknown>;
      response: {
        /** Security policy: servers written in the config file start quarantined too, until an admin approves them */
        quarantine_config_servers: boolean;
        /** Security policy: when an approved server's tools change, accept the change without an admin */
        auto_approve_tool_changes: boolean;
        /** Security policy: failed logins (per account and address) within the window before a lockout */
        login_max_attempts: number;
        /** Security policy: window over which failed logins are counted */
        login_window_minutes: number;
        /** Security policy: how long a locked-out login stays locked */
        login_lockout_minutes: number;
        /** Security policy: requests per minute allowed for each API key or token on the REST API; 0 means no limit */
        api_key_rate_limit_per_minute: number;
        /** Security policy: browser origins allowed to call the REST API (CORS); "*" allows any origin, never with credentials */
        cors_allowed_origins: string[];
        /** Security policy: the MCP management tools (switchboard_*) may create and edit hosted tools; off, they can only read */
        remote_tool_editing: boolean;
        /** Security policy: require_approval keeps every hosted tool out of the catalogue until an admin approves it; auto_approve approves publish requests an admin makes through the REST API or CLI (never requests made through MCP) */
        tool_approval_mode: "require_approval" | "auto_approve";
        /** Security policy: allowlist lets hosted tools reach only their server's allowed hosts and approved network requests; public adds any public host (private, loopback and metadata addresses stay blocked) */
        network_access_policy: "allowlist" | "public";
        /** Security policy: whether a module request needs an admin; always-forbidden modules are refused either way */
        module_approval_mode: "require_approval" | "auto_approve";
        /** Security policy: mask a hosted server's secret values in execution logs (arguments, result, stdout, errors) */
        redact_secrets_in_output: boolean;
        /** Security policy: callers without the admin scope may test-run hosted tools that are not approved yet (admins always may) */
        test_before_approval: boolean;
        /** Security policy: refuse to run hosted tools when any sandbox isolation layer is unavailable on this host (see switchboard doctor) */
        hosted_require_all_layers: boolean;
        /** Security policy: offer the switchboard_* management tools to MCP clients (as the in-process server "switchboard", subject to key scopes and the policy gate) */
        mcp_management_tools: boolean;
        /** Python modules hosted tools may import beyond the default whitelist (admins extend it; tools can only request) */
        allowed_modules_extra: string[];
        /** Hosted-tool execution logs older than this many days are deleted; 0 keeps everything */
        log_retention_days: number;
        /** Security policy: credentials (cloud and API keys, tokens, private keys, connection strings with a password) and card numbers in tool-call arguments and results: off | detect | redact | block, per direction */
        sensitive_data: {
          /** off: no scan; detect: record findings; redact: replace matches before forwarding; block: refuse the call before it reaches the upstream */
          arguments: "off" | "detect" | "redact" | "block";
          /** off: no scan; detect: record findings; redact: replace matches before returning; block: withhold the result and fail the call */
          results: "off" | "detect" | "redact" | "block";
        };
      };
    };
  };
  "/api/tools/search": {
    /** Search tools by what they do (BM25 with stemming, synonyms and typo tolerance); only tools the caller may use. Scope: execute. */
    get: {
      query: {
        /** What the tool should do, in plain words or keywords */
        q: string;
        /** At most this many results (default 15) */
        limit?: number;
      };
      response: {
        query: string;
        limit: number;
        results: {
          /** Exposed name: what tools/call takes */
          name: string;
          server: string;
          /** The upstream's own name */
          original_name: string;
          title: string | null;
          /** Shortened past 500 characters */
          description: string | null;
          /** Relevance, comparable within one answer */
          score: number;
          annotations: Record<string, unknown> | null;
        }[];
      };
    };
  };
  "/api/tools/test-code": {
    /** Run a saved tool's current code in the sandbox (stdout capped at 10 KB; before approval only as the security policy allows). Scope: execute. */
    post: {
      body: {
        tool_id: string;
        arguments?: Record<string, unknown>;
      };
      response: {
        ok: boolean;
        tool_id: string;
        version: number;
        value?: unknown;
        structured_content?: Record<string, unknown>;
        text?: string;
        error?: {
          kind: string;
          message: string;
        };
        /** print() output, at most 10 KB */
        stdout: string;
        duration_ms: number;
      };
    };
  };
  "/api/tools/validate-code": {
    /** Validate Python or JavaScript tool code without saving it (syntax, main contract, imports, size) and derive its input schema. Scope: write. */
    post: {
      body: {
        code: string;
        /** `python` (default): `async def main(...)`; `javascript`: `export default async function main(args)` */
        language?: "python" | "javascript";
      };
      response: {
        valid: boolean;
        errors: {
          kind: string;
          message: string;
          line?: number;
          col?: number;
        }[];
        warnings: {
          kind: string;
          message: string;
          line?: number;
          col?: number;
        }[];
        imports: string[];
        description: string | null;
        input_schema: Record<string, unknown> | null;
      };
    };
  };
  "/api/tools/{id}": {
    /** Get a tool with its code. Scope: read. */
    get: {
      path: {
        /** Tool id */
        id: string;
      };
      response: {
        id: string;
        server: string;
        name: string;
        description: string | null;
        status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
        version: number;
        input_schema: Record<string, unknown>;
        /** Present where one tool is shown */
        code?: string;
        /** The language of the code: python (Pyodide) or javascript (QuickJS) */
        language: "python" | "javascript";
        /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
        kind: "python" | "external";
        external: {
          source_id: string;
          source: string | null;
          /** The tool's name on the source */
          tool: string;
        } | null;
        /** Approved and its server running: MCP clients (the gate permitting) see it */
        listed: boolean;
        /** kind:id of the principal whose change made the current code or publish request */
        submitted_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        submitted_via: "api" | "mcp";
        review: {
          by: string;
          at: string;
          reason: string | null;
        } | null;
        publish_requested_at: string | null;
        publish_note: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
    /** Update code, name or description (a new version; an approved tool returns to review). Scope: write. */
    patch: {
      path: {
        /** Tool id */
        id: string;
      };
      body: {
        name?: string;
        description?: string | null;
        /** Python source defining `async def main(...)`, or JavaScript defining `main(args)` (see language) */
        code?: string;
        /** Changing the language needs new `code` too */
        language?: "python" | "javascript";
      };
      response: {
        id: string;
        server: string;
        name: string;
        description: string | null;
        status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
        version: number;
        input_schema: Record<string, unknown>;
        /** Present where one tool is shown */
        code?: string;
        /** The language of the code: python (Pyodide) or javascript (QuickJS) */
        language: "python" | "javascript";
        /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
        kind: "python" | "external";
        external: {
          source_id: string;
          source: string | null;
          /** The tool's name on the source */
          tool: string;
        } | null;
        /** Approved and its server running: MCP clients (the gate permitting) see it */
        listed: boolean;
        /** kind:id of the principal whose change made the current code or publish request */
        submitted_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        submitted_via: "api" | "mcp";
        review: {
          by: string;
          at: string;
          reason: string | null;
        } | null;
        publish_requested_at: string | null;
        publish_note: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
    /** Delete a tool and its versions. Scope: write. */
    delete: {
      path: {
        /** Tool id */
        id: string;
      };
      response: {
        deleted: string;
      };
    };
  };
  "/api/tools/{id}/logs": {
    /** Recent executions (newest first): arguments with secrets masked, truncated result, stdout, duration, error. Scope: read. */
    get: {
      path: {
        /** Tool id */
        id: string;
      };
      query?: {
        limit?: number;
      };
      response: {
        items: {
          id: number;
          at: string;
          tool: string;
          version: number;
          mode: "run" | "test";
          caller: string;
          ok: boolean;
          duration_ms: number;
          /** JSON, secret values masked when redact_secrets_in_output is on */
          arguments: string;
          /** Truncated */
          result: string | null;
          stdout: string;
          error: string | null;
        }[];
      };
    };
  };
  "/api/tools/{id}/request-publish": {
    /** Submit the tool for admin review. Scope: write. */
    post: {
      path: {
        /** Tool id */
        id: string;
      };
      body: {
        note?: string;
      } | null;
      response: {
        id: string;
        server: string;
        name: string;
        description: string | null;
        status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
        version: number;
        input_schema: Record<string, unknown>;
        /** Present where one tool is shown */
        code?: string;
        /** The language of the code: python (Pyodide) or javascript (QuickJS) */
        language: "python" | "javascript";
        /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
        kind: "python" | "external";
        external: {
          source_id: string;
          source: string | null;
          /** The tool's name on the source */
          tool: string;
        } | null;
        /** Approved and its server running: MCP clients (the gate permitting) see it */
        listed: boolean;
        /** kind:id of the principal whose change made the current code or publish request */
        submitted_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        submitted_via: "api" | "mcp";
        review: {
          by: string;
          at: string;
          reason: string | null;
        } | null;
        publish_requested_at: string | null;
        publish_note: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/tools/{id}/versions": {
    /** List versions (newest first). Scope: read. */
    get: {
      path: {
        /** Tool id */
        id: string;
      };
      response: {
        items: {
          version: number;
          note: string;
          description: string | null;
          input_schema: Record<string, unknown>;
          language: "python" | "javascript";
          code?: string;
          created_by: string;
          created_at: string;
        }[];
      };
    };
  };
  "/api/tools/{id}/versions/compare": {
    /** Compare two versions (unified diff). Scope: read. */
    get: {
      path: {
        /** Tool id */
        id: string;
      };
      query: {
        from: number;
        to: number;
      };
      response: {
        tool_id: string;
        from: number;
        to: number;
        /** Unified diff of the code (empty when equal) */
        diff: string;
        description_changed: boolean;
        schema_changed: boolean;
      };
    };
  };
  "/api/tools/{id}/versions/{version}": {
    /** Get one version with its code. Scope: read. */
    get: {
      path: {
        /** Tool id */
        id: string;
        /** Version number */
        version: number;
      };
      response: {
        version: number;
        note: string;
        description: string | null;
        input_schema: Record<string, unknown>;
        language: "python" | "javascript";
        code?: string;
        created_by: string;
        created_at: string;
      };
    };
  };
  "/api/tools/{id}/versions/{version}/rollback": {
    /** Save this version as the newest (an approved tool returns to review). Scope: write. */
    post: {
      path: {
        /** Tool id */
        id: string;
        /** Version number */
        version: number;
      };
      response: {
        id: string;
        server: string;
        name: string;
        description: string | null;
        status: "draft" | "pending_review" | "approved" | "rejected" | "revoked";
        version: number;
        input_schema: Record<string, unknown>;
        /** Present where one tool is shown */
        code?: string;
        /** The language of the code: python (Pyodide) or javascript (QuickJS) */
        language: "python" | "javascript";
        /** python: runs in the sandbox; external: imported, forwards to a tool of an external MCP source */
        kind: "python" | "external";
        external: {
          source_id: string;
          source: string | null;
          /** The tool's name on the source */
          tool: string;
        } | null;
        /** Approved and its server running: MCP clients (the gate permitting) see it */
        listed: boolean;
        /** kind:id of the principal whose change made the current code or publish request */
        submitted_by: string;
        /** api: REST, CLI or UI; mcp: the switchboard_* management tools */
        submitted_via: "api" | "mcp";
        review: {
          by: string;
          at: string;
          reason: string | null;
        } | null;
        publish_requested_at: string | null;
        publish_note: string | null;
        created_by: string;
        created_at: string;
        updated_at: string;
      };
    };
  };
  "/api/trust/findings": {
    /** The description scanner's findings on current definitions. Scope: read. */
    get: {
      query?: {
        server?: string;
        severity?: "low" | "medium" | "high";
      };
      response: {
        items: {
          /** Stable rule id, see docs/search-and-trust.md */
          rule: string;
          severity: "low" | "medium" | "high";
          /** JSON path of the text, e.g. inputSchema.properties.path.description */
          field: string;
          /** The offending text, shortened; invisible characters shown as \u{...} */
          evidence: string;
          server: string;
          kind: "tool" | "prompt";
          name: string;
          state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
        }[];
      };
    };
  };
  "/api/trust/pending": {
    /** Tools and prompts waiting for a decision (pending, changed, quarantined). Scope: read. */
    get: {
      response: {
        items: {
          server: string;
          kind: "tool" | "prompt";
          name: string;
          /** Only approved tools and prompts are listed and callable */
          state: "approved" | "pending" | "changed" | "quarantined" | "blocked";
          /** Offered in the upstream's current listing */
          present: boolean;
          /** sha256 of the current definition (name, title, description, schemas, annotations) */
          fingerprint: string;
          approved_fingerprint: string | null;
          findings: {
            /** Stable rule id, see docs/search-and-trust.md */
            rule: string;
            severity: "low" | "medium" | "high";
            /** JSON path of the text, e.g. inputSchema.properties.path.description */
            field: string;
            /** The offending text, shortened; invisible characters shown as \u{...} */
            evidence: string;
          }[];
          decided_by: string | null;
          updated_at: string;
        }[];
      };
    };
  };
  "/api/users": {
    /** List users. Scope: admin. */
    get: {
      query?: {
        page?: number;
        page_size?: number;
      };
      response: {
        items: {
          id: string;
          username: string;
          role: "admin" | "editor" | "viewer";
          disabled: boolean;
          /** Set while the account is locked after repeated failed logins */
          locked_until: string | null;
          /** ISO-8601 UTC */
          created_at: string;
          /** ISO-8601 UTC */
          updated_at: string;
        }[];
        total: number;
        page: number;
        page_size: number;
        pages: number;
      };
    };
    /** Create a user (role admin, editor or viewer). Scope: admin. */
    post: {
      body: {
        /** Unique, case-insensitive */
        username: string;
        /** 8-1024 characters */
        password: string;
        role?: "admin" | "editor" | "viewer";
      };
      response: {
        id: string;
        username: string;
        role: "admin" | "editor" | "viewer";
        disabled: boolean;
        /** Set while the account is locked after repeated failed logins */
        locked_until: string | null;
        /** ISO-8601 UTC */
        created_at: string;
        /** ISO-8601 UTC */
        updated_at: string;
      };
    };
  };
  "/api/users/{id}": {
    /** Get a user. Scope: admin. */
    get: {
      path: {
        id: string;
      };
      response: {
        id: string;
        username: string;
        role: "admin" | "editor" | "viewer";
        disabled: boolean;
        /** Set while the account is locked after repeated failed logins */
        locked_until: string | null;
        /** ISO-8601 UTC */
        created_at: string;
        /** ISO-8601 UTC */
        updated_at: string;
      };
    };
    /** Change role, disable/enable, reset the password or lift a lockout. Scope: admin. */
    patch: {
      path: {
        id: string;
      };
      body: {
        role?: "admin" | "editor" | "viewer";
        disabled?: boolean;
        /** Reset the password; ends all the user's logins */
        password?: string;
        /** Lift a lockout after failed logins */
        unlock?: boolean;
      };
      response: {
        id: string;
        username: string;
        role: "admin" | "editor" | "viewer";
        disabled: boolean;
        /** Set while the account is locked after repeated failed logins */
        locked_until: string | null;
        /** ISO-8601 UTC */
        created_at: string;
        /** ISO-8601 UTC */
        updated_at: string;
      };
    };
    /** Delete a user; the API keys they created are revoked. Scope: admin. */
    delete: {
      path: {
        id: string;
      };
      response: {
        deleted: string;
      };
    };
  };
  "/api/v1/status": {
    /** Gateway status: uptime, server and tool counts. Scope: read. */
    get: {
      response: {
        status: "running";
        version: string;
        started_at: string;
        uptime_s: number;
        servers: {
          total: number;
          connected: number;
          quarantined: number;
          disabled: number;
          failing: number;
        };
        tools: {
          total: number;
        };
        sessions: {
          active: number;
        };
      };
    };
  };
  "/auth/change-password": {
    /** Change the signed-in user's password: every login of the user ends, a new pair is returned. */
    post: {
      body: {
        current_password: string;
        /** 8-1024 characters */
        new_password: string;
      };
      response: {
        /** JWT (HS256); send as "Authorization: Bearer <token>" */
        access_token: string;
        token_type: "bearer";
        /** Seconds the access token is valid (900) */
        expires_in: number;
        /** Opaque; exchange at /auth/refresh for a new pair. Single use */
        refresh_token: string;
        /** Seconds the refresh token is valid (7 days) */
        refresh_expires_in: number;
        /** User */
        user: {
          id: string;
          username: string;
          role: "admin" | "editor" | "viewer";
          disabled: boolean;
          /** Set while the account is locked after repeated failed logins */
          locked_until: string | null;
          /** ISO-8601 UTC */
          created_at: string;
          /** ISO-8601 UTC */
          updated_at: string;
        };
      };
    };
  };
  "/auth/login": {
    /** Log in: a 15-minute access token and a 7-day refresh token. Repeated failures lock the account (429). */
    post: {
      body: {
        username: string;
        password: string;
      };
      response: {
        /** JWT (HS256); send as "Authorization: Bearer <token>" */
        access_token: string;
        token_type: "bearer";
        /** Seconds the access token is valid (900) */
        expires_in: number;
        /** Opaque; exchange at /auth/refresh for a new pair. Single use */
        refresh_token: string;
        /** Seconds the refresh token is valid (7 days) */
        refresh_expires_in: number;
        /** User */
        user: {
          id: string;
          username: string;
          role: "admin" | "editor" | "viewer";
          disabled: boolean;
          /** Set while the account is locked after repeated failed logins */
          locked_until: string | null;
          /** ISO-8601 UTC */
          created_at: string;
          /** ISO-8601 UTC */
          updated_at: string;
        };
      };
    };
  };
  "/auth/logout": {
    /** End a login: its refresh token and access tokens stop working. */
    post: {
      body: {
        /** End this login; default: the login of the access token used */
        refresh_token?: string;
      };
      response: {
        /** False when there was no login to end (e.g. an API key) */
        revoked: boolean;
      };
    };
  };
  "/auth/me": {
    /** Who the credentials belong to, with their scopes and allow-lists. */
    get: {
      response: {
        kind: "user" | "api_key" | "admin_token" | "bootstrap" | "anonymous" | "local";
        id: string;
        name: string;
        role: ("admin" | "editor" | "viewer") | null;
        scopes: ("read" | "write" | "execute" | "admin")[];
        /** Server allow-list (globs); null: every server */
        servers: string[] | null;
        /** Tool allow-list (globs); null: every tool */
        tools: string[] | null;
        user: {
          id: string;
          username: string;
          role: "admin" | "editor" | "viewer";
          disabled: boolean;
          /** Set while the account is locked after repeated failed logins */
          locked_until: string | null;
          /** ISO-8601 UTC */
          created_at: string;
          /** ISO-8601 UTC */
          updated_at: string;
        } | null;
      };
    };
  };
  "/auth/refresh": {
    /** Exchange a refresh token for a new pair; reusing an exchanged token ends that login. */
    post: {
      body: {
        refresh_token: string;
      };
      response: {
        /** JWT (HS256); send as "Authorization: Bearer <token>" */
        access_token: string;
        token_type: "bearer";
        /** Seconds the access token is valid (900) */
        expires_in: number;
        /** Opaque; exchange at /auth/refresh for a new pair. Single use */
        refresh_token: string;
        /** Seconds the refresh token is valid (7 days) */
        refresh_expires_in: number;
        /** User */
        user: {
          id: string;
          username: string;
          role: "admin" | "editor" | "viewer";
          disabled: boolean;
          /** Set while the account is locked after repeated failed logins */
          locked_until: string | null;
          /** ISO-8601 UTC */
          created_at: string;
          /** ISO-8601 UTC */
          updated_at: string;
        };
      };
    };
  };
  "/auth/setup": {
    /** Create the first admin (once). Without credentials only from this machine; remotely with the bootstrap key. */
    post: {
      body: {
        /** Unique, case-insensitive */
        username: string;
        /** 8-1024 characters */
        password: string;
      };
      response: {
        /** JWT (HS256); send as "Authorization: Bearer <token>" */
        access_token: string;
        token_type: "bearer";
        /** Seconds the access token is valid (900) */
        expires_in: number;
        /** Opaque; exchange at /auth/refresh for a new pair. Single use */
        refresh_token: string;
        /** Seconds the refresh token is valid (7 days) */
        refresh_expires_in: number;
        /** User */
        user: {
          id: string;
          username: string;
          role: "admin" | "editor" | "viewer";
          disabled: boolean;
          /** Set while the account is locked after repeated failed logins */
          locked_until: string | null;
          /** ISO-8601 UTC */
          created_at: string;
          /** ISO-8601 UTC */
          updated_at: string;
        };
      };
    };
  };
  "/auth/status": {
    /** Whether the first admin still has to be created (no credentials needed). */
    get: {
      response: {
        /** True until the first admin exists */
        setup_required: boolean;
      };
    };
  };
  "/events": {
    /** Live events as Server-Sent Events (text/event-stream), with heartbeats; `?apikey=` accepted here for EventSource. Scope: read. */
    get: {
      query?: {
        /** Comma-separated event types (servers.changed, config.reloaded, tools.indexed, profiles.changed, activity.tool_call.started, activity.tool_call.completed, activity.policy_decision, activity.admin_change) or a prefix wildcard like activity.*; default all */
        types?: string;
        /** API key, for clients that cannot send headers (EventSource) */
        apikey?: string;
      };
      response: string;
    };
  };
  "/health/detail": {
    /** Detailed health: store and per-server state. Scope: read. */
    get: {
      response: {
        status: "ok" | "degraded";
        version: string;
        uptime_s: number;
        checks: {
          name: string;
          ok: boolean;
          detail: string;
        }[];
        servers: {
          name: string;
          state: string;
          level: "healthy" | "degraded" | "unhealthy";
          admin_state: string;
          summary: string;
        }[];
      };
    };
  };
  "/health/services": {
    /** Service health: uptime, server and tool counts, CPU and memory. Scope: read. */
    get: {
      response: {
        status: "ok" | "degraded";
        uptime_s: number;
        servers_count: number;
        servers_connected: number;
        total_tools: number;
        sessions: number;
        /** The gateway process's CPU use since the previous sample, in % of one core */
        cpu_percent: number;
        load_average: number[];
        process_rss_mb: number;
        /** System memory in use */
        memory_used_mb: number;
        memory_total_mb: number;
        memory_percent: number;
      };
    };
  };
  "/mcp/initialize": {
    /** Describe the server (JSON layer; stateless, no session). Scope: read. */
    post: {
      body: {
        protocolVersion?: string;
        capabilities?: Record<string, unknown>;
        clientInfo?: {
          name: string;
          version?: string;
          [key: string]: unknown;
        };
        [key: string]: unknown;
      } | null;
      response: {
        protocolVersion: string;
        serverInfo: {
          name: string;
          version: string;
        };
        capabilities: {
          tools: Record<string, unknown>;
          resources: Record<string, unknown>;
          prompts: Record<string, unknown>;
        };
        /** The JSON-layer endpoints this server answers */
        endpoints: string[];
      };
    };
  };
  "/mcp/prompts/get": {
    /** Get a prompt with string arguments. Scope: read. */
    post: {
      body: {
        name: string;
        arguments?: Record<string, string>;
      };
      response: {
        description?: string;
        messages: {
          role: string;
          content: Record<string, unknown>;
          [key: string]: unknown;
        }[];
        [key: string]: unknown;
      };
    };
  };
  "/mcp/prompts/list": {
    /** List the prompts this key may get. Scope: read. */
    post: {
      body: {
        /** Ignored: the whole list is returned */
        cursor?: string;
        [key: string]: unknown;
      } | null;
      response: {
        prompts: {
          name: string;
          description?: string;
          arguments?: Record<string, unknown>[];
          [key: string]: unknown;
        }[];
      };
    };
  };
  "/mcp/resources/list": {
    /** List the resources this key may read. Scope: read. */
    post: {
      body: {
        /** Ignored: the whole list is returned */
        cursor?: string;
        [key: string]: unknown;
      } | null;
      response: {
        resources: {
          uri: string;
          name?: string;
          mimeType?: string;
          [key: string]: unknown;
        }[];
      };
    };
  };
  "/mcp/resources/read": {
    /** Read a resource by URI. Scope: read. */
    post: {
      body: {
        /** Exposed resource URI, as /mcp/resources/list returns it */
        uri: string;
      };
      response: {
        contents: {
          uri: string;
          mimeType?: string;
          text?: string;
          blob?: string;
          [key: string]: unknown;
        }[];
        [key: string]: unknown;
      };
    };
  };
  "/mcp/tools/call": {
    /** Call a tool with JSON arguments. Scope: execute. */
    post: {
      body: {
        /** Exposed tool name, as /mcp/tools/list returns it */
        name: string;
        /** Tool arguments (an object; absent or null means none) */
        arguments?: Record<string, unknown> | null;
      };
      response: {
        content: {
          type: string;
          [key: string]: unknown;
        }[];
        structuredContent?: Record<string, unknown>;
        /** True when the tool itself reported a failure */
        isError: boolean;
        [key: string]: unknown;
      };
    };
  };
  "/mcp/tools/list": {
    /** List the tools this key may call. Scope: read. */
    post: {
      body: {
        /** Ignored: the whole list is returned */
        cursor?: string;
        [key: string]: unknown;
      } | null;
      response: {
        tools: {
          name: string;
          title?: string;
          description?: string;
          inputSchema?: Record<string, unknown>;
          [key: string]: unknown;
        }[];
      };
    };
  };
}
