import { View, Text } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { JobRun, JobSummary } from '@member/shared/api';
import { api } from '../../../services/api';
import { businessDateTime, thousands } from '../../../services/format';
import { entryOf } from '../../../services/labels';
import { useAsync } from '../../../hooks/use-async';
import { useAction } from '../../../hooks/use-action';
import { ErrorState, LoadingState } from '../../../components/states';
import { adminApi } from '../admin-api';
import { OperatorShell } from '../components/operator-shell';
import { JOB_TEXT, ledgerReport, OUTCOME_TEXT } from '../job-text';
import '../operator.css';

function RunLine({ r, timeZone }: { r: JobRun; timeZone: string }) {
  return (
    <View className='op-row-meta' data-testid='job-run'>
      {businessDateTime(r.startedAt, timeZone)} · {r.trigger === 'manual' ? '手动' : '定时'} ·{' '}
      <Text className={r.outcome === 'failed' ? 'op-minus' : ''}>{OUTCOME_TEXT[r.outcome]}</Text>
      {r.error ? ` · ${r.error}` : ''}
    </View>
  );
}

function LedgerReport({ job, timeZone }: { job: JobSummary; timeZone: string }) {
  const report = ledgerReport(job.lastRuns);
  return (
    <View className='panel' data-testid='ledger-report'>
      <View className='panel-title'>账目核对报告</View>
      {!report ? <View className='muted'>尚未运行过账目核对</View> : null}
      {report ? (
        <>
          <View className='op-row-meta'>
            {businessDateTime(report.run.startedAt, timeZone)} · {OUTCOME_TEXT[report.run.outcome]}
          </View>
          {report.lines.map((l) => (
            <View className='op-row-head op-list-row' key={l.text} data-testid='ledger-line'>
              <Text>{l.text}</Text>
              <Text className={l.value > 0 && l.text !== '核对会员数' ? 'op-minus' : ''}>{thousands(l.value)}</Text>
            </View>
          ))}
          {report.members.map((m) => (
            <View className='op-row-meta' key={m.kind}>
              {m.kind}异常会员：{m.ids.join('、')}
            </View>
          ))}
        </>
      ) : null}
    </View>
  );
}

function Jobs({ timeZone }: { timeZone: string }) {
  const jobs = useAsync(adminApi.jobs);
  const run = useAction((name: string) => adminApi.runJob(name).then(jobs.reload), {
    toast: true,
    texts: { JOB_RUNNING: '该任务正在运行，请稍后刷新查看' },
  });
  if (jobs.error) return <ErrorState error={jobs.error} onRetry={jobs.reload} />;
  if (!jobs.data) return <LoadingState />;
  const ledger = jobs.data.find((j) => j.name === 'ledger-check');
  return (
    <>
      {ledger ? <LedgerReport job={ledger} timeZone={timeZone} /> : null}
      <View className='panel'>
        <View className='panel-title'>定时任务</View>
        {jobs.data.map((j) => (
          <View className='op-list-row' key={j.name} data-testid='job' data-name={j.name}>
            <View className='op-row-head'>
              <Text className='op-row-title'>{entryOf(JOB_TEXT, j.name) ?? j.name}</Text>
              <Button size='small' data-testid='job-run-now' loading={run.busy && run.args?.[0] === j.name} onClick={() => void run.run(j.name)}>
                立即运行
              </Button>
            </View>
            <View className='op-row-meta'>
              {j.name} · {j.schedule ? `计划 ${j.schedule}` : '仅手动运行'}
              {j.nextRunAt ? ` · 下次 ${businessDateTime(j.nextRunAt, timeZone)}` : ''}
            </View>
            {j.lastRuns.slice(0, 3).map((r) => (
              <RunLine key={r.id} r={r} timeZone={timeZone} />
            ))}
          </View>
        ))}
      </View>
    </>
  );
}

export default function JobsPage() {
  const rules = useAsync(api.rules);
  return (
    <OperatorShell section='jobs'>
      {() =>
        rules.error ? (
          <ErrorState error={rules.error} onRetry={rules.reload} />
        ) : rules.data ? (
          <Jobs timeZone={rules.data.businessTimeZone} />
        ) : (
          <LoadingState />
        )
      }
    </OperatorShell>
  );
}
