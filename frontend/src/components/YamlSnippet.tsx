import { CopyTextButton } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** YAML to paste into the entity's file, shown as text (never as markup) with a copy button. */
export function YamlSnippet({ yaml, label }: { yaml: string; label: string }) {
  return (
    <Box display="flex" alignItems="flex-start" component="figure" margin={0} minWidth={0} aria-label={label}>
      <Typography component="pre" variant="body2" style={{ margin: 0, padding: 8, background: 'rgba(127,127,127,0.12)', overflowX: 'auto', flex: 1, minWidth: 0 }}>
        <code>{yaml}</code>
      </Typography>
      <CopyTextButton text={yaml} tooltipText="YAML copied" />
    </Box>
  );
}
