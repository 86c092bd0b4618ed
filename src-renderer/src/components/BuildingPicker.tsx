import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { buildingOptions, pickBuilding, refreshBuildings, useBuilding } from '../state/building';
import './building-picker.css';

const ALL = 'All buildings';
/** Options listed at once; typing narrows a fleet of thousands. */
const SHOWN = 200;

/**
 * The one building picker of Data, Drift and Performance: a searchable
 * combobox (type to filter, ↑/↓ to move, Enter to pick, Escape to close)
 * over the logged buildings and the current dataset's ids, "All buildings"
 * first. The choice lives in the shared building store, so every tab shows the
 * same building.
 */
export function BuildingPicker(props: { testId?: string }) {
  const building = useBuilding((s) => s.building);
  const list = useBuilding((s) => s.list);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  useEffect(() => {
    if (!list) void refreshBuildings();
  }, [list]);
  const q = query.trim().toLowerCase();
  const all = buildingOptions(list);
  const matching = q ? all.filter((b) => b.toLowerCase().includes(q)) : all;
  const items: Array<string | null> = [null, ...matching.slice(0, SHOWN)];
  const at = Math.min(active, items.length - 1);
  useEffect(() => {
    if (open) document.getElementById(`${id}-opt-${at}`)?.scrollIntoView({ block: 'nearest' });
  }, [open, at, id]);

  const choose = (b: string | null): void => {
    pickBuilding(b);
    setOpen(false);
    setQuery('');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive(Math.max(0, Math.min(items.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1))));
    } else if (e.key === 'Enter' && open) {
      e.preventDefault();
      choose(items[at] ?? null);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
      setQuery('');
    }
  };
  const optionId = (i: number): string => `${id}-opt-${i}`;
  return (
    <div className="building-picker" data-testid={props.testId ?? 'building-picker'}>
      <label htmlFor={`${id}-input`}>Building</label>
      <div className="building-picker-box">
        <input
          ref={input}
          id={`${id}-input`}
          role="combobox"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={open ? optionId(at) : undefined}
          autoComplete="off"
          spellCheck={false}
          placeholder={building ?? ALL}
          value={open ? query : (building ?? ALL)}
          onFocus={() => {
            setOpen(true);
            setQuery('');
            setActive(0);
          }}
          onBlur={() => {
            setOpen(false);
            setQuery('');
          }}
          onChange={(e) => {
            setQuery(e.target.value);
            setOpen(true);
            // The first real match is what Enter should take, not "All buildings".
            setActive(e.target.value.trim() ? 1 : 0);
          }}
          onKeyDown={onKey}
        />
        {open && (
          <ul className="building-picker-list" role="listbox" id={`${id}-list`} aria-label="Buildings">
            {items.map((b, i) => (
              <li
                key={b ?? '\u0000all'}
                id={optionId(i)}
                role="option"
                aria-selected={b === building}
                className={i === at ? 'active' : undefined}
                // mousedown, not click: the input's blur would close the list before a click lands.
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(b);
                  input.current?.blur();
                }}
              >
                {b ?? ALL}
              </li>
            ))}
            {matching.length > SHOWN && (
              <li className="muted small building-picker-more">{matching.length - SHOWN} more: type to narrow</li>
            )}
            {q && matching.length === 0 && <li className="muted small building-picker-more">No building matches “{query}”</li>}
          </ul>
        )}
      </div>
    </div>
  );
}
