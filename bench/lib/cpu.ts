/**
 * CPU time of the whole machine and of process trees, read from Linux's /proc, so a benchmark
 * can report which process was busy while it ran. Without /proc the machine figure is null and
 * every process tree reads as 0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second of /proc times: USER_HZ, which is 100 on x86 and Arm Linux. */
const TICKS_PER_S = 100;

interface ProcessTimes {
	pid: number;
	ppid: number;
	command: string;
	/** utime + stime + cutime + cstime: the process and its children that it has waited for. */
	ticks: number;
}

function read_process(pid: number): ProcessTimes | null {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return null;
	}
	// The command sits in parentheses and may itself contain spaces or parentheses.
	const open = text.indexOf('(');
	const close = text.lastIndexOf(')');
	const fields = text.slice(close + 2).split(' ');
	const field = (number: number) => Number(fields[number - 3]);
	return {
		pid,
		ppid: field(4),
		command: text.slice(open + 1, close),
		ticks: field(14) + field(15) + field(16) + field(17)
	};
}

function list_processes(): ProcessTimes[] {
	let entries: string[];
	try {
		entries = readdirSync('/proc');
	} catch {
		return [];
	}
	const processes: ProcessTimes[] = [];
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		const times = read_process(Number(entry));
		if (times) processes.push(times);
	}
	return processes;
}

/**
 * Sums the CPU ticks of `root` and every live descendant. A descendant that exited and was
 * waited for is already in its parent's `cutime`, so nothing is counted twice.
 */
function tree_ticks(processes: readonly ProcessTimes[], root: number): number {
	const children = new Map<number, ProcessTimes[]>();
	for (const times of processes) {
		const siblings = children.get(times.ppid) ?? [];
		siblings.push(times);
		children.set(times.ppid, siblings);
	}
	const root_times = processes.find((times) => times.pid === root);
	if (!root_times) return 0;
	let total = 0;
	const pending = [root_times];
	while (pending.length > 0) {
		const next = pending.pop() as ProcessTimes;
		total += next.ticks;
		pending.push(...(children.get(next.pid) ?? []));
	}
	return total;
}

/** Returns the pids of processes named `command` that descend from `ancestor`. */
export function find_descendants(ancestor: number, command: string): number[] {
	const processes = list_processes();
	const parent_of = new Map(processes.map((times) => [times.pid, times.ppid]));
	return processes
		.filter((times) => times.command === command)
		.filter((times) => {
			for (let pid = times.ppid; pid > 1; pid = parent_of.get(pid) ?? 0) {
				if (pid === ancestor) return true;
			}
			return false;
		})
		.map((times) => times.pid);
}

function read_machine_ticks(): { busy: number; total: number } | null {
	try {
		const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
		const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
		const total = values.reduce((sum, value) => sum + value, 0);
		// Fields 4 and 5 are idle and iowait.
		const idle = (values[3] ?? 0) + (values[4] ?? 0);
		return { busy: total - idle, total };
	} catch {
		return null;
	}
}

export interface CpuUse {
	/** CPU cores kept busy on average over the interval, by all processes of the machine. */
	machine_cores: number | null;
	cores: number;
	/** Average busy cores of this Node process. */
	this_process_cores: number;
	/** Average busy cores per named process tree. */
	trees: Record<string, number | null>;
}

/**
 * Starts measuring CPU use, and `stop()` returns the averages since the start. `trees` names
 * the root pids to follow, such as a Postgres postmaster.
 */
export function start_cpu_meter(trees: Record<string, number[]>): { stop(): CpuUse } {
	const started_at = performance.now();
	const machine_start = read_machine_ticks();
	const process_start = process.cpuUsage();
	const sum_trees = () => {
		const processes = list_processes();
		return Object.fromEntries(
			Object.entries(trees).map(([name, roots]) => [
				name,
				roots.reduce((total, root) => total + tree_ticks(processes, root), 0)
			])
		);
	};
	const trees_start = sum_trees();

	return {
		stop(): CpuUse {
			const elapsed_s = (performance.now() - started_at) / 1000;
			const machine_end = read_machine_ticks();
			const process_used = process.cpuUsage(process_start);
			const trees_end = sum_trees();
			const cores = availableParallelism();

			let machine_cores: number | null = null;
			if (machine_start && machine_end && machine_end.total > machine_start.total) {
				const busy = machine_end.busy - machine_start.busy;
				machine_cores = (busy / (machine_end.total - machine_start.total)) * cores;
			}
			const tree_cores: Record<string, number | null> = {};
			for (const name of Object.keys(trees)) {
				const ticks = (trees_end[name] ?? 0) - (trees_start[name] ?? 0);
				tree_cores[name] = elapsed_s > 0 ? ticks / TICKS_PER_S / elapsed_s : null;
			}
			return {
				machine_cores,
				cores,
				this_process_cores: (process_used.user + process_used.system) / 1e6 / elapsed_s,
				trees: tree_cores
			};
		}
	};
}

/** Reads the postmaster pid from the first line of `postmaster.pid` in a data folder. */
export function read_postmaster_pid(data_dir: string): number | null {
	try {
		const pid = Number(readFileSync(`${data_dir}/postmaster.pid`, 'utf8').split('\n')[0]);
		return Number.isInteger(pid) && pid > 0 ? pid : null;
	} catch {
		return null;
	}
}
