// What a worker pool's task module sends back: piscina and tinypool post the value its exported
// function returns (once awaited) to the thread that called run(), by the same channel as the task.
import type * as TS from 'typescript';
import type { TypeScript } from './typescript.js';

/** The task module's function: `export default function`, `export default <fn>`, `export = <fn>`, `module.exports = <fn>`. */
function taskFunction(ts: TypeScript, checker: TS.TypeChecker, file: TS.SourceFile): { node: TS.Node; name?: string } | undefined {
  const resolve = (e: TS.Expression): TS.Node | undefined => {
    if (ts.isFunctionExpression(e) || ts.isArrowFunction(e)) return e;
    if (!ts.isIdentifier(e)) return undefined;
    const decl = checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (decl && ts.isFunctionDeclaration(decl)) return decl;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer) return resolve(decl.initializer);
    return undefined;
  };
  for (const statement of file.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) {
      return { node: statement, ...(statement.name ? { name: statement.name.text } : {}) };
    }
    let exported: TS.Expression | undefined;
    if (ts.isExportAssignment(statement)) exported = statement.expression;
    else if (ts.isExpressionStatement(statement) && ts.isBinaryExpression(statement.expression)) {
      const { left, operatorToken, right } = statement.expression;
      if (operatorToken.kind === ts.SyntaxKind.EqualsToken && left.getText() === 'module.exports') exported = right;
    }
    const node = exported && resolve(exported);
    if (node) return { node, ...(ts.isIdentifier(exported!) ? { name: exported.text } : {}) };
  }
  return undefined;
}

/** What a pool's task module returns, where its function is: the `valueType` its send site sends. */
export interface TaskResult {
  /** `resize() return value`, `default export return value`. */
  readonly api: string;
  /** Where the task function is declared. */
  readonly node: TS.Node;
  readonly valueType: TS.Type;
}

/** The return value of a pool's task module, when the module exports its task function and it returns something. */
export function taskResult(ts: TypeScript, checker: TS.TypeChecker, file: TS.SourceFile): TaskResult | undefined {
  const task = taskFunction(ts, checker, file);
  if (!task) return undefined;
  const [signature] = checker.getTypeAtLocation(task.node).getCallSignatures();
  if (!signature) return undefined;
  const returned = signature.getReturnType();
  const valueType = checker.getAwaitedType(returned) ?? returned;
  if (valueType.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return undefined;
  return { api: task.name ? `${task.name}() return value` : 'default export return value', node: task.node, valueType };
}
