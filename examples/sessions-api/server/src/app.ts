/**
 * HTTP API of the AgentLab workbench.
 *
 * Every route of the public API is registered in this file, under `/api`. The contract lives in
 * `../../openapi.json`; Contract Lens checks that the two stay in step.
 */
import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";

import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";
import websocket from "@fastify/websocket";

export const API_VERSION = "0.14.2";

// ---------------------------------------------------------------------------------------------
// Domain types (mirror components.schemas of the contract)
// ---------------------------------------------------------------------------------------------

type SessionStatus = "active" | "idle" | "archived";
type RunStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";
type MessageRole = "user" | "assistant" | "system" | "tool";

interface ApiError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

type ContentPart =
  | { type: "text"; text: string }
  | { type: "tool_call"; toolName: string; callId: string; arguments: Record<string, unknown> };

interface Session {
  id: string;
  title: string;
  status: SessionStatus;
  agentId: string;
  createdAt: string;
  updatedAt: string;
  messageCount: number;
  systemPrompt: string | null;
  lastRunId: string | null;
  metadata: Record<string, string>;
}

interface Message {
  id: string;
  sessionId: string;
  role: MessageRole;
  content: ContentPart[];
  createdAt: string;
  runId: string | null;
}

interface Run {
  id: string;
  sessionId: string;
  agentId: string;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: ApiError | null;
}

interface RunEvent {
  runId: string;
  sequence: number;
  kind: "status" | "message" | "tool_call" | "tool_result" | "log";
  createdAt: string;
  payload: Record<string, unknown>;
}

interface Agent {
  id: string;
  name: string;
  description: string | null;
  model: string;
  tools: string[];
}

interface CreateSessionBody {
  agentId: string;
  title?: string;
  systemPrompt?: string | null;
  metadata?: Record<string, string>;
}

interface UpdateSessionBody {
  title?: string;
  status?: "active" | "idle";
  systemPrompt?: string | null;
  metadata?: Record<string, string>;
}

interface SendMessageBody {
  role?: "user" | "system";
  content: ContentPart[];
  startRun?: boolean;
}

interface StartRunBody {
  sessionId: string;
  agentId?: string;
  maxSteps?: number;
}

interface PageQuery {
  limit?: string;
  cursor?: string;
}

// ---------------------------------------------------------------------------------------------
// In-memory store
// ---------------------------------------------------------------------------------------------

const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(["succeeded", "failed", "cancelled"]);

export class Store {
  readonly sessions = new Map<string, Session>();
  readonly messages = new Map<string, Message[]>();
  readonly runs = new Map<string, Run>();
  readonly runEvents = new Map<string, RunEvent[]>();
  readonly agents = new Map<string, Agent>();
  readonly bus = new EventEmitter();

  constructor(agents: Agent[] = DEFAULT_AGENTS) {
    for (const agent of agents) this.agents.set(agent.id, agent);
    this.bus.setMaxListeners(0);
  }

  activeRunOf(sessionId: string): Run | undefined {
    for (const run of this.runs.values()) {
      if (run.sessionId === sessionId && !TERMINAL_RUN_STATUSES.has(run.status)) return run;
    }
    return undefined;
  }

  recordEvent(runId: string, kind: RunEvent["kind"], payload: Record<string, unknown>): RunEvent {
    const events = this.runEvents.get(runId) ?? [];
    const event: RunEvent = { runId, sequence: events.length, kind, createdAt: now(), payload };
    events.push(event);
    this.runEvents.set(runId, events);
    this.bus.emit("run-event", event);
    return event;
  }

  transition(run: Run, status: RunStatus, error: ApiError | null = null): void {
    run.status = status;
    if (status === "running") run.startedAt = now();
    if (TERMINAL_RUN_STATUSES.has(status)) run.finishedAt = now();
    run.error = error;
    this.recordEvent(run.id, "status", { status, error });
  }
}

const DEFAULT_AGENTS: Agent[] = [
  {
    id: "agt_planner",
    name: "Planner",
    description: "Breaks a task into steps and delegates them.",
    model: "gpt-4.1-mini",
    tools: ["search", "todo"],
  },
  {
    id: "agt_coder",
    name: "Coder",
    description: null,
    model: "gpt-4.1",
    tools: ["shell", "edit_file", "read_file"],
  },
];

function now(): string {
  return new Date().toISOString();
}

function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
}

function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const body: ApiError = { code, message };
  return reply.code(status).send(body);
}

function paginate<T>(items: T[], query: PageQuery): { items: T[]; nextCursor: string | null } {
  const limit = Math.min(Math.max(Number(query.limit ?? 50) || 50, 1), 200);
  const offset = query.cursor ? Number(Buffer.from(query.cursor, "base64url").toString("utf8")) || 0 : 0;
  const page = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(String(offset + limit)).toString("base64url") : null;
  return { items: page, nextCursor: next };
}

function summarize(session: Session) {
  const { id, title, status, agentId, createdAt, updatedAt, messageCount } = session;
  return { id, title, status, agentId, createdAt, updatedAt, messageCount };
}

// ---------------------------------------------------------------------------------------------
// Application
// ---------------------------------------------------------------------------------------------

export interface BuildOptions {
  logger?: boolean;
  store?: Store;
}

export async function buildApp(options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  const store = options.store ?? new Store();
  const startedAt = Date.now();

  await app.register(websocket);

  // --- system -------------------------------------------------------------------------------

  app.get("/api/health", async () => {
    return {
      status: "ok",
      version: API_VERSION,
      uptimeSeconds: (Date.now() - startedAt) / 1000,
    };
  });

  // --- sessions -----------------------------------------------------------------------------

  app.get("/api/sessions", async (request) => {
    const query = request.query as PageQuery & { status?: SessionStatus; agentId?: string };
    const sessions = [...store.sessions.values()]
      .filter((session) => (query.status ? session.status === query.status : true))
      .filter((session) => (query.agentId ? session.agentId === query.agentId : true))
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map(summarize);
    return paginate(sessions, query);
  });

  app.post("/api/sessions", async (request, reply) => {
    const body = request.body as CreateSessionBody;
    if (!body || typeof body.agentId !== "string") {
      return sendError(reply, 400, "invalid_body", "agentId is required");
    }
    if (!store.agents.has(body.agentId)) {
      return sendError(reply, 404, "agent_not_found", `No agent ${body.agentId}`);
    }
    const timestamp = now();
    const session: Session = {
      id: newId("ses"),
      title: body.title ?? "Untitled session",
      status: "active",
      agentId: body.agentId,
      createdAt: timestamp,
      updatedAt: timestamp,
      messageCount: 0,
      systemPrompt: body.systemPrompt ?? null,
      lastRunId: null,
      metadata: body.metadata ?? {},
    };
    store.sessions.set(session.id, session);
    store.messages.set(session.id, []);
    return reply.code(201).send(session);
  });

  app.get("/api/sessions/:sessionId", async (request, reply) => {
    const { sessionId } = request.params as { sessionId: string };
    const session = store.sessions.get(sessionId);
    if (!session) return sendError(reply, 404, "session_not_found", `No session ${sessionId}`);
    return session;
  });

  app.patch("/api/sessions/:sessionId", async (request, reply) => {
    const { sessionId } = request.params as { sessionId: string };
    const body = (request.body ?? {}) as UpdateSessionBody;
    const session = store.sessions.get(sessionId);
    if (!session) return sendError(reply, 404, "session_not_found", `No session ${sessionId}`);
    if (body.title !== undefined) session.title = body.title;
    if (body.status !== undefined) session.status = body.status;
    if (body.systemPrompt !== undefined) session.systemPrompt = body.systemPrompt;
    if (body.metadata !== undefined) session.metadata = { ...session.metadata, ...body.metadata };
    session.updatedAt = now();
    return session;
  });

  app.delete("/api/sessions/:sessionId", async (request, reply) => {
    const { sessionId } = request.params as { sessionId: string };
    if (!store.sessions.has(sessionId)) {
      return sendError(reply, 404, "session_not_found", `No session ${sessionId}`);
    }
    const active = store.activeRunOf(sessionId);
    if (active) store.transition(active, "cancelled");
    store.sessions.delete(sessionId);
    store.messages.delete(sessionId);
    for (const run of [...store.runs.values()]) {
      if (run.sessionId === sessionId) {
        store.runs.delete(run.id);
        store.runEvents.delete(run.id);
      }
    }
    return reply.code(204).send();
  });

  app.post("/api/sessions/:sessionId/archive", async (request, reply) => {
    const { sessionId } = request.params as { sessionId: string };
    const session = store.sessions.get(sessionId);
    if (!session) return sendError(reply, 404, "session_not_found", `No session ${sessionId}`);
    session.status = "archived";
    session.updatedAt = now();
    return session;
  });

  // --- messages -----------------------------------------------------------------------------

  app.get("/api/sessions/:sessionId/messages", async (request, reply) => {
    const { sessionId } = request.params as { sessionId: string };
    const messages = store.messages.get(sessionId);
    if (!messages) return sendError(reply, 404, "session_not_found", `No session ${sessionId}`);
    return paginate(messages, request.query as PageQuery);
  });

  app.post<{ Params: { sessionId: string }; Body: SendMessageBody }>(
    "/api/sessions/:sessionId/messages",
    async (request, reply) => {
      const { sessionId } = request.params;
      const session = store.sessions.get(sessionId);
      if (!session) return sendError(reply, 404, "session_not_found", `No session ${sessionId}`);
      if (session.status === "archived") {
        return sendError(reply, 409, "session_archived", "Archived sessions do not accept messages");
      }
      const body = request.body;
      if (!body || !Array.isArray(body.content) || body.content.length === 0) {
        return sendError(reply, 400, "invalid_body", "content must be a non-empty array");
      }
      const message: Message = {
        id: newId("msg"),
        sessionId,
        role: body.role ?? "user",
        content: body.content,
        createdAt: now(),
        runId: null,
      };
      store.messages.get(sessionId)!.push(message);
      session.messageCount += 1;
      session.updatedAt = message.createdAt;
      if (body.startRun && !store.activeRunOf(sessionId)) {
        const run = queueRun(store, session, session.agentId);
        session.lastRunId = run.id;
      }
      return reply.code(201).send(message);
    },
  );

  app.get("/api/sessions/:sessionId/messages/:messageId", async (request, reply) => {
    const { sessionId, messageId } = request.params as { sessionId: string; messageId: string };
    const message = store.messages.get(sessionId)?.find((candidate) => candidate.id === messageId);
    if (!message) {
      return sendError(reply, 404, "message_not_found", `No message ${messageId} in session ${sessionId}`);
    }
    return message;
  });

  // --- runs ---------------------------------------------------------------------------------

  app.post("/api/runs", async (request, reply) => {
    const body = request.body as StartRunBody;
    if (!body || typeof body.sessionId !== "string") {
      return sendError(reply, 400, "invalid_body", "sessionId is required");
    }
    const session = store.sessions.get(body.sessionId);
    if (!session) return sendError(reply, 404, "session_not_found", `No session ${body.sessionId}`);
    const agentId = body.agentId ?? session.agentId;
    if (!store.agents.has(agentId)) return sendError(reply, 404, "agent_not_found", `No agent ${agentId}`);
    if (store.activeRunOf(session.id)) {
      return sendError(reply, 409, "run_in_progress", "The session already has an active run");
    }
    const run = queueRun(store, session, agentId);
    session.lastRunId = run.id;
    return reply.code(202).send(run);
  });

  app.get("/api/runs/:runId", async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const run = store.runs.get(runId);
    if (!run) return sendError(reply, 404, "run_not_found", `No run ${runId}`);
    return run;
  });

  app.post("/api/runs/:runId/cancel", async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const { reason } = (request.body ?? {}) as { reason?: string };
    const run = store.runs.get(runId);
    if (!run) return sendError(reply, 404, "run_not_found", `No run ${runId}`);
    if (!TERMINAL_RUN_STATUSES.has(run.status)) {
      store.recordEvent(run.id, "log", { message: "cancellation requested", reason: reason ?? null });
      store.transition(run, "cancelled");
    }
    return reply.code(202).send(run);
  });

  app.get("/api/runs/:runId/events", async (request, reply) => {
    const { runId } = request.params as { runId: string };
    const { after } = request.query as { after?: string };
    const events = store.runEvents.get(runId);
    if (!events) return sendError(reply, 404, "run_not_found", `No run ${runId}`);
    const threshold = after === undefined ? -1 : Number(after);
    return { items: events.filter((event) => event.sequence > threshold) };
  });

  // --- agents -------------------------------------------------------------------------------

  app.get("/api/agents", async () => {
    return [...store.agents.values()].sort((a, b) => a.name.localeCompare(b.name));
  });

  app.get("/api/agents/:agentId", async (request, reply) => {
    const { agentId } = request.params as { agentId: string };
    const agent = store.agents.get(agentId);
    if (!agent) return sendError(reply, 404, "agent_not_found", `No agent ${agentId}`);
    return agent;
  });

  // --- live stream (websocket, not part of the OpenAPI contract) ------------------------------

  app.get("/api/stream", { websocket: true }, (socket, request) => {
    const { runId } = request.query as { runId?: string };
    const forward = (event: RunEvent): void => {
      if (runId && event.runId !== runId) return;
      socket.send(JSON.stringify({ type: "run-event", event }));
    };
    store.bus.on("run-event", forward);
    socket.on("close", () => store.bus.off("run-event", forward));
    socket.send(JSON.stringify({ type: "hello", version: API_VERSION }));
  });

  return app;
}

/**
 * Queues a run and simulates its execution on the next ticks. A real deployment hands the run
 * to the worker pool; the simulation keeps the example self-contained.
 */
function queueRun(store: Store, session: Session, agentId: string): Run {
  const run: Run = {
    id: newId("run"),
    sessionId: session.id,
    agentId,
    status: "queued",
    createdAt: now(),
    startedAt: null,
    finishedAt: null,
    error: null,
  };
  store.runs.set(run.id, run);
  store.recordEvent(run.id, "status", { status: "queued" });

  setImmediate(() => {
    if (run.status !== "queued") return;
    store.transition(run, "running");
    const reply: Message = {
      id: newId("msg"),
      sessionId: session.id,
      role: "assistant",
      content: [{ type: "text", text: `(${agentId}) acknowledged.` }],
      createdAt: now(),
      runId: run.id,
    };
    setImmediate(() => {
      if (run.status !== "running") return;
      const messages = store.messages.get(session.id);
      if (messages) {
        messages.push(reply);
        session.messageCount += 1;
        session.updatedAt = reply.createdAt;
        store.recordEvent(run.id, "message", { messageId: reply.id });
      }
      store.transition(run, "succeeded");
    });
  });
  return run;
}
