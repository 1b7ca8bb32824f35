"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || function (mod) {
    if (mod && mod.__esModule) return mod;
    var result = {};
    if (mod != null) for (var k in mod) if (k !== "default" && Object.prototype.hasOwnProperty.call(mod, k)) __createBinding(result, mod, k);
    __setModuleDefault(result, mod);
    return result;
};
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The shape of the library, read from its source: a core that imports no concept, a small
 * root, and no HTTP spoken by hand.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const lab = __importStar(require("concurrency-lab"));
const SRC = node_path_1.default.resolve(__dirname, '..', 'lib', 'src');
function filesUnder(dir) {
    return node_fs_1.default.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = node_path_1.default.join(dir, e.name);
        return e.isDirectory() ? filesUnder(full) : e.name.endsWith('.ts') ? [full] : [];
    });
}
/** Every module a file imports or re-exports, resolved to a path under lib/src (relative ones only). */
function importsOf(file) {
    const text = node_fs_1.default.readFileSync(file, 'utf8');
    const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)|(?:^|\n)import\s+'([^']+)'/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]);
    return specs.filter((s) => s.startsWith('.')).map((s) => node_path_1.default.relative(SRC, node_path_1.default.resolve(node_path_1.default.dirname(file), s)));
}
describe('the core', () => {
    const core = ['core', 'charts', 'output'].flatMap((d) => filesUnder(node_path_1.default.join(SRC, d)));
    test('is there to be checked', () => {
        expect(core.length).toBeGreaterThan(20);
        expect(importsOf(node_path_1.default.join(SRC, 'core', 'measure.ts'))).toContain(node_path_1.default.join('core', 'modes'));
    });
    test.each(core.map((f) => [node_path_1.default.relative(SRC, f)]))('%s imports nothing from a concept or the catalog', (rel) => {
        const outside = importsOf(node_path_1.default.join(SRC, rel)).filter((target) => !/^(core|charts|output)\//.test(target.split(node_path_1.default.sep).join('/')));
        expect(outside).toEqual([]);
    });
});
describe('the public API', () => {
    test('has at most 40 names at its root, each concept behind a namespace', () => {
        const dts = node_fs_1.default.readFileSync(node_path_1.default.resolve(__dirname, '..', 'lib', 'dist', 'index.d.ts'), 'utf8');
        const names = [...dts.matchAll(/export (?:\* as (\w+)|(?:type )?\{([^}]*)\})/g)].flatMap((m) => m[1] ? [m[1]] : m[2].split(',').map((n) => n.replace(/\btype\b/, '').trim().split(/\s+as\s+/).pop()));
        expect(names.length).toBeLessThanOrEqual(40);
        expect(new Set(names).size).toBe(names.length);
        for (const concept of ['processes', 'threads', 'kitchen', 'io', 'cpu', 'gil']) {
            expect(typeof lab[concept]).toBe('object');
        }
        expect(typeof lab.io.measure).toBe('function');
    });
});
describe('HTTP', () => {
    test('is spoken by node:http and undici: no file of lib/src parses HTTP/1.1 itself', () => {
        const parsers = filesUnder(SRC).filter((f) => {
            const text = node_fs_1.default.readFileSync(f, 'utf8');
            return /HTTP\/1\.[01] \d{3}|\\r\\n\\r\\n|transfer-encoding.*chunked/i.test(text) && /node:net/.test(text);
        });
        expect(parsers.map((f) => node_path_1.default.relative(SRC, f))).toEqual([]);
    });
});
