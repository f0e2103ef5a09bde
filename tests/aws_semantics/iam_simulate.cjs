// Runs @cloud-copilot/iam-simulate (AGPL-3.0, a devDependency: test-only, never shipped) over a batch of
// simulations. stdin: a JSON array of iam-simulate `Simulation` objects; stdout: a JSON array of
// {result, errors, denied_by} in the same order. Called by tests/aws_semantics/simulator.py.
const { runSimulation } = require('@cloud-copilot/iam-simulate')

function explicitDenies(result) {
  // The Sids (or indexes) of the statements that denied the request, per policy kind, for readable failures.
  const analysis = result && result.analysis
  if (!analysis) return []
  const found = []
  const collect = (kind, statements) => {
    for (const s of statements || []) found.push(`${kind}:${s.statement?.Sid || s.explain?.identifier || s.policyId}`)
  }
  collect('identity', analysis.identityAnalysis?.denyStatements)
  collect('resource', analysis.resourceAnalysis?.denyStatements)
  collect('boundary', analysis.permissionBoundaryAnalysis?.denyStatements)
  for (const ou of analysis.scpAnalysis?.ouAnalysis || []) collect('scp', ou.denyStatements)
  return found
}

async function main() {
  const chunks = []
  for await (const chunk of process.stdin) chunks.push(chunk)
  const simulations = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  const out = []
  for (const simulation of simulations) {
    const response = await runSimulation(simulation, {})
    if (response.resultType === 'error') {
      out.push({ result: 'Error', errors: response.errors, denied_by: [] })
    } else if (response.resultType === 'single') {
      out.push({ result: response.overallResult, errors: null, denied_by: explicitDenies(response.result) })
    } else {
      out.push({ result: response.overallResult, errors: null, denied_by: [] })
    }
  }
  process.stdout.write(JSON.stringify(out))
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1) })
