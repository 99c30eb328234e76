import { useMemo, useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api/client';
import type { InvokeResult, Tool } from '../api/types';
import { Button, Checkbox, JsonBlock, TextArea } from '../ui/controls';
import { formatDuration } from '../ui/format';
import { FormError } from '../ui/states';
import { fieldsOf, initialValues, toArguments, type FormValues } from './schema-args';
import { SchemaForm } from './schema-form';

/** Call one tool with a generated form (or raw JSON) and show what came back, with the timing. */
export function InvokePanel({ server, tool }: { server: string; tool: Tool }) {
  const fields = useMemo(() => fieldsOf(tool.input_schema), [tool.input_schema]);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [raw, setRaw] = useState(false);
  const [rawText, setRawText] = useState('{}');
  const [rawError, setRawError] = useState<string | undefined>();
  const invoke = useMutation({ mutationFn: (args: Record<string, unknown>) => api.post('/api/servers/{name}/invoke', { path: { name: server }, body: { tool_name: tool.name, arguments: args } }) });

  const submit = () => {
    if (raw) {
      try {
        const parsed = JSON.parse(rawText) as unknown;
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('Arguments must be a JSON object');
        setRawError(undefined);
        invoke.mutate(parsed as Record<string, unknown>);
      } catch (e) {
        setRawError((e as Error).message);
      }
      return;
    }
    const { args, errors: errs } = toArguments(fields, values);
    setErrors(errs);
    if (args) invoke.mutate(args);
  };
  const switchMode = (toRaw: boolean) => {
    if (toRaw) setRawText(JSON.stringify(toArguments(fields, values).args ?? {}, null, 2));
    setRaw(toRaw);
  };

  return (
    <div className="stack">
      {tool.description && <p className="muted">{tool.description}</p>}
      <form
        className="stack"
        aria-label={`Arguments for ${tool.name}`}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Checkbox label="Edit arguments as JSON" checked={raw} onChange={(e) => switchMode(e.target.checked)} />
        {raw ? <TextArea label="Arguments (JSON object)" rows={8} className="mono" value={rawText} onChange={(e) => setRawText(e.target.value)} error={rawError} spellCheck={false} /> : <SchemaForm fields={fields} values={values} errors={errors} onChange={setValues} />}
        <div className="toolbar">
          <Button type="submit" variant="primary" busy={invoke.isPending}>
            Run {tool.name}
          </Button>
        </div>
      </form>
      <FormError error={invoke.error} />
      {invoke.data && <InvokeOutput result={invoke.data} />}
    </div>
  );
}

type ContentItem = Record<string, any>;

/** The answer of a call: each content item in its own form, structured content as JSON. */
export function InvokeOutput({ result }: { result: InvokeResult }) {
  const r = result.result;
  const isError = result.status === 'error' || r.isError === true;
  return (
    <section className={`result ${isError ? 'result-bad' : 'result-ok'}`} aria-label="Result" aria-live="polite">
      <p className="result-head">
        <strong>{isError ? 'The tool reported an error' : 'Result'}</strong>
        <span className="muted"> in {formatDuration(result.elapsed_ms)}</span>
      </p>
      {(r.content ?? []).map((c, i) => (
        <ContentView key={i} item={c as ContentItem} />
      ))}
      {r.structuredContent && (
        <>
          <h3 className="small">Structured content</h3>
          <JsonBlock value={r.structuredContent} label="Structured content" />
        </>
      )}
    </section>
  );
}

function ContentView({ item }: { item: ContentItem }) {
  switch (item['type']) {
    case 'text':
      return <pre className="result-text">{String(item['text'] ?? '')}</pre>;
    case 'image':
      return <img className="result-image" src={`data:${item['mimeType']};base64,${item['data']}`} alt={`Image result (${item['mimeType']})`} />;
    case 'audio':
      return <audio controls src={`data:${item['mimeType']};base64,${item['data']}`} aria-label="Audio result" />;
    case 'resource': {
      const res = (item['resource'] ?? {}) as ContentItem;
      return (
        <div className="result-resource">
          <code>{String(res['uri'] ?? '')}</code>
          {typeof res['text'] === 'string' ? <pre className="result-text">{res['text']}</pre> : <span className="muted"> (binary, {String(res['mimeType'] ?? 'unknown type')})</span>}
        </div>
      );
    }
    case 'resource_link':
      return (
        <div className="result-resource">
          Link: <code>{String(item['uri'] ?? '')}</code> {item['name'] ? `(${String(item['name'])})` : ''}
        </div>
      );
    default:
      return <JsonBlock value={item} label="Content item" />;
  }
}
