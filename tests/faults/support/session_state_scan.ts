/**
 * Finds SQL that keeps state on a server connection beyond one transaction. Behind PgBouncer in
 * transaction mode, consecutive transactions of one client can run on different server
 * connections, so such state leaks to other clients or is missing on the next statement.
 *
 * The SQL is taken from the TypeScript syntax tree: `sql` tagged templates, `sql.raw(...)` and
 * `CompiledQuery.raw(...)` arguments, and the first argument of `.query(...)` calls, where an
 * object with a `name` is a named prepared statement.
 */
import ts from 'typescript';

export interface SessionStateFinding {
	file: string;
	line: number;
	rule: string;
	sql: string;
}

/** Patterns of session-level state, each with the reason it breaks transaction pooling. */
const RULES: [RegExp, string][] = [
	[/(^|;)\s*set\s+(?!local\b)/i, 'SET without LOCAL lasts for the session'],
	[/(^|;)\s*reset\b/i, 'RESET changes the session'],
	[/\b(un)?listen\b/i, 'LISTEN needs the same connection after the transaction'],
	[/\bpg_(try_)?advisory_lock(_shared)?\s*\(/i, 'session-level advisory lock'],
	[/\bset_config\s*\([^)]*,\s*false\s*\)/i, 'set_config(..., false) lasts for the session'],
	[/(^|;)\s*(prepare|deallocate)\b/i, 'SQL prepared statements live on one connection'],
	[/\bwith\s+hold\b/i, 'a WITH HOLD cursor outlives its transaction'],
	[/\bcreate\s+(temp|temporary)\s+table\b/i, 'a temporary table lives on one connection']
];

/** Removes `--` and block comments, so commented-out SQL does not count. */
function strip_comments(sql: string): string {
	return sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

/** Returns the text of a template or string literal, with `$n` for each interpolation. */
function literal_text(node: ts.Node): string | null {
	if (ts.isStringLiteralLike(node)) return node.text;
	if (ts.isTemplateExpression(node)) {
		return (
			node.head.text + node.templateSpans.map((span, i) => `$${i + 1}${span.literal.text}`).join('')
		);
	}
	return null;
}

function is_sql_tag(tag: ts.Expression): boolean {
	return ts.isIdentifier(tag) && tag.text === 'sql';
}

function callee_name(call: ts.CallExpression): string | null {
	const callee = call.expression;
	if (!ts.isPropertyAccessExpression(callee)) return null;
	const owner = ts.isIdentifier(callee.expression) ? `${callee.expression.text}.` : '.';
	return owner + callee.name.text;
}

/** Scans one source file and returns every finding. */
export function scan_source(file: string, source: string): SessionStateFinding[] {
	const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
	const findings: SessionStateFinding[] = [];
	const check = (node: ts.Node, sql: string) => {
		const clean = strip_comments(sql);
		for (const [pattern, rule] of RULES) {
			if (!pattern.test(clean)) continue;
			const line = tree.getLineAndCharacterOfPosition(node.getStart()).line + 1;
			findings.push({ file, line, rule, sql: sql.trim().slice(0, 120) });
		}
	};

	const visit = (node: ts.Node) => {
		if (ts.isTaggedTemplateExpression(node) && is_sql_tag(node.tag)) {
			const text = literal_text(node.template);
			if (text !== null) check(node, text);
		}
		if (ts.isCallExpression(node)) {
			const name = callee_name(node);
			const [first] = node.arguments;
			const raw = name === 'sql.raw' || name === 'CompiledQuery.raw' || name?.endsWith('.query');
			if (raw && first) {
				const text = literal_text(first);
				if (text !== null) check(node, text);
				if (name?.endsWith('.query') && ts.isObjectLiteralExpression(first)) {
					const named = first.properties.some(
						(property) => property.name !== undefined && property.name.getText() === 'name'
					);
					if (named) {
						const line = tree.getLineAndCharacterOfPosition(node.getStart()).line + 1;
						findings.push({
							file,
							line,
							rule: 'a named prepared statement lives on one connection',
							sql: first.getText().slice(0, 120)
						});
					}
				}
			}
		}
		ts.forEachChild(node, visit);
	};
	visit(tree);
	return findings;
}
