// The import graph of a set of TypeScript / AssemblyScript files, read with the TypeScript parser (a
// devDependency already: tsc builds dist/), and the circles in it. An edge is every way one of our modules
// makes another load: `import` and `export ... from` (type-only ones too: a circle of types is still a
// circle a reader has to untangle), `import type`, `typeof import("./x")`, a dynamic `import("./x")`, and a
// worker entry started by URL, `siblingModule(import.meta.url, "./x")` or `new URL("./x.ts", import.meta.url)`.
// Only relative specifiers name our files; `node:*` and packages are not edges. A dynamic import whose
// specifier is not a string literal cannot be followed: it is listed, so a test can say which are allowed.
import ts from "typescript";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

export type EdgeKind = "import" | "export" | "import-type-expression" | "dynamic-import" | "worker-url";

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  from: string;
  /** Repository-relative path of the imported file. */
  to: string;
  kind: EdgeKind;
  /** True when the edge only brings types (erased at run time). */
  typeOnly: boolean;
  /** 1-based line in `from`, for messages. */
  line: number;
}

export interface ImportGraph {
  /** Every file reached, with its outgoing edges (in source order). */
  edges: Map<string, ImportEdge[]>;
  /** `file:line` of each dynamic import whose specifier is computed at run time. */
  unanalyzable: string[];
}

/** Every .ts file under `dir` (repository-relative), sorted. */
export function tsFilesUnder(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith(".ts") && statSync(join(root, f)).isFile())
    .sort();
}

/** The graph of `entries` (repository-relative paths under `root`) and of every file they reach. */
export function importGraph(root: string, entries: readonly string[]): ImportGraph {
  const edges = new Map<string, ImportEdge[]>();
  const unanalyzable: string[] = [];
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (edges.has(file)) continue;
    const found = fileEdges(root, file, unanalyzable);
    edges.set(file, found);
    for (const edge of found) if (!edges.has(edge.to)) queue.push(edge.to);
  }
  return { edges, unanalyzable };
}

function fileEdges(root: string, file: string, unanalyzable: string[]): ImportEdge[] {
  const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportEdge[] = [];
  const add = (node: ts.Node, specifier: string, kind: EdgeKind, typeOnly: boolean): void => {
    if (!specifier.startsWith("./") && !specifier.startsWith("../")) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ from: file, to: resolveSpecifier(root, file, specifier, line), kind, typeOnly, line });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, "import", importIsTypeOnly(node.importClause));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node, node.moduleSpecifier.text, "export", node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) add(node, expression.text, "import", node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) add(node, argument.literal.text, "import-type-expression", true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteralLike(argument)) add(node, argument.text, "dynamic-import", false);
      else unanalyzable.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "siblingModule") {
      // siblingModule(import.meta.url, "./name") is the module beside this one, extension added at run time.
      const name = node.arguments[1];
      if (name !== undefined && ts.isStringLiteralLike(name) && isImportMetaUrl(node.arguments[0])) add(node, `${name.text}.ts`, "worker-url", false);
    } else if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "URL") {
      const [name, base] = node.arguments ?? [];
      if (name !== undefined && ts.isStringLiteralLike(name) && isImportMetaUrl(base) && /\.[cm]?[jt]s$/.test(name.text)) {
        add(node, name.text, "worker-url", false);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// `import type { A }`, or `import { type A, type B }` with nothing else: erased entirely.
function importIsTypeOnly(clause: ts.ImportClause | undefined): boolean {
  if (clause === undefined) return false; // `import "./x"`: loaded for its effects
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isImportMetaUrl(node: ts.Node | undefined): boolean {
  return (
    node !== undefined &&
    ts.isPropertyAccessExpression(node) &&
    node.name.text === "url" &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

// AssemblyScript imports name no extension ("./ring"); TypeScript ones do ("./ring.ts").
function resolveSpecifier(root: string, file: string, specifier: string, line: number): string {
  const target = normalize(join(dirname(file), specifier));
  for (const candidate of [target, `${target}.ts`]) {
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
  }
  throw new Error(`import graph: ${file}:${line} imports ${JSON.stringify(specifier)}, which is no file (looked for ${target} and ${target}.ts)`);
}

/**
 * Every circle in the graph, one per strongly connected component (Tarjan), each written as the files it
 * passes through back to its first, `a.ts -> b.ts [a.ts:1 import] -> a.ts [b.ts:3 import, types only]`: the
 * line and kind of each edge.
 */
export function importCircles(graph: ImportGraph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const targets = (file: string): string[] => (graph.edges.get(file) ?? []).map((e) => e.to);
  // Recursive: the graph has tens of files, far from any stack limit.
  const connect = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const to of targets(file)) {
      if (!index.has(to)) {
        connect(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(file, Math.min(low.get(file)!, index.get(to)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || targets(file).includes(file)) components.push(component.sort());
    }
  };
  for (const file of [...graph.edges.keys()].sort()) if (!index.has(file)) connect(file);
  return components.map((component) => describeCircle(graph, component));
}

// The shortest circle through the component (tried from each of its files), then every file in the knot:
// the shortest one usually passes through the import that closed it.
function describeCircle(graph: ImportGraph, component: string[]): string {
  const inside = new Set(component);
  let best: ImportEdge[] | undefined;
  for (const start of component) {
    const path = shortestWayBack(graph, inside, start);
    if (best === undefined || path.length < best.length) best = path;
  }
  const circle = `${best![0].from} -> ${best!.map((e) => `${e.to} [${e.from}:${e.line} ${e.kind}${e.typeOnly ? ", types only" : ""}]`).join(" -> ")}`;
  return component.length > best!.length ? `${circle} (the knot holds ${component.length} files: ${component.join(", ")})` : circle;
}

// Breadth first from `start` until an edge leads back to it, staying inside the component.
function shortestWayBack(graph: ImportGraph, inside: Set<string>, start: string): ImportEdge[] {
  const cameBy = new Map<string, ImportEdge>();
  const queue = [start];
  let closing: ImportEdge | undefined;
  while (queue.length > 0 && closing === undefined) {
    const file = queue.shift()!;
    for (const edge of graph.edges.get(file) ?? []) {
      if (!inside.has(edge.to)) continue;
      if (edge.to === start) {
        closing = edge;
        break;
      }
      if (!cameBy.has(edge.to)) {
        cameBy.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  const path: ImportEdge[] = [closing!];
  for (let at = closing!.from; at !== start; at = cameBy.get(at)!.from) path.unshift(cameBy.get(at)!);
  return path;
}
