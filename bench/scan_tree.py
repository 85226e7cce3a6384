#!/usr/bin/env python3
"""The `junction scan` benchmark (docs/PERFORMANCE.md): writes a tree of --files source files in
the scanned languages (one in a hundred creates or tests account types, the rest are ordinary
code, some of it naming customers and shipping speeds), plus a node_modules folder and an ignored
one, then times `junction scan` over it, several runs, median reported."""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time

PLAIN = {
    "py": 'import stripe\n\n\ndef customer_{n}(email):\n    """Creates customer {n}."""\n    speed = "standard"\n    return stripe.Customer.create(email=email, metadata={{"n": "{n}", "speed": speed}})\n',
    "rb": "class Customer{n}\n  def create(email)\n    Stripe::Customer.create(email: email, metadata: {{ n: '{n}' }})\n  end\nend\n",
    "js": "export async function customer{n}(stripe, email) {{\n  const speed = 'express';\n  return stripe.customers.create({{ email, metadata: {{ n: '{n}', speed }} }});\n}}\n",
    "ts": "export function total{n}(items: number[]): number {{\n  return items.reduce((a, b) => a + b, {n});\n}}\n",
    "go": "package p{n}\n\nfunc Total{n}(items []int) int {{\n\tt := {n}\n\tfor _, i := range items {{\n\t\tt += i\n\t}}\n\treturn t\n}}\n",
    "java": "public class Customer{n} {{\n  public String name() {{ return \"custom-{n}\"; }}\n}}\n",
    "php": "<?php\nfunction customer{n}($stripe, $email) {{\n    return $stripe->customers->create(['email' => $email]);\n}}\n",
    "cs": "public class Customer{n}\n{{\n    public string Name => \"standard-{n}\";\n}}\n",
    "swift": "func total{n}(_ items: [Int]) -> Int {{ items.reduce({n}, +) }}\n",
}
ACCOUNT = {
    "py": 'import stripe\n\n\ndef connect_{n}(account):\n    stripe.Account.create(type="express", country="US")\n    if account.type == "custom":\n        return account\n',
    "rb": "def connect_{n}(account)\n  Stripe::Account.create(type: 'express', country: 'US')\n  account.type == 'custom'\nend\n",
    "js": "export function connect{n}(stripe, account) {{\n  stripe.accounts.create({{ type: 'express', country: 'US' }});\n  return account.type === 'custom';\n}}\n",
}


def write_tree(root, count):
    rng = random.Random(7)
    kinds = list(PLAIN)
    for n in range(count):
        folder = os.path.join(root, "src", f"m{n // 1000}", f"d{(n // 100) % 10}")
        os.makedirs(folder, exist_ok=True)
        ext = kinds[n % len(kinds)]
        template = ACCOUNT.get(ext) if n % 100 == 0 else None
        with open(os.path.join(folder, f"f{n}.{ext}"), "w") as f:
            f.write((template or PLAIN[ext]).format(n=n) * rng.randint(1, 4))
    vendored = os.path.join(root, "node_modules", "stripe", "lib")
    os.makedirs(vendored, exist_ok=True)
    for n in range(1000):
        with open(os.path.join(vendored, f"v{n}.js"), "w") as f:
            f.write(ACCOUNT["js"].format(n=n))
    os.makedirs(os.path.join(root, "generated"), exist_ok=True)
    with open(os.path.join(root, ".gitignore"), "w") as f:
        f.write("generated/\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = tempfile.mkdtemp(prefix="junction-scan-bench-")
    try:
        started = time.monotonic()
        write_tree(root, args.files)
        print(f"tree of {args.files:,} files written in {time.monotonic() - started:.1f} s")
        times = []
        for _ in range(args.runs):
            subprocess.run(["sync"], check=False)
            started = time.monotonic()
            result = subprocess.run([args.binary, "scan", "--format", "json", root], capture_output=True, text=True)
            times.append(time.monotonic() - started)
            assert result.returncode == 1, result.stderr
        summary = result.stdout.rsplit('"summary" : ', 1)[-1].strip().strip('}').strip().strip('"')
        median = statistics.median(times)
        print(f"junction scan: median {median:.2f} s over {args.runs} runs ({args.files / median:,.0f} files/s); {summary}")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
