// Types of the Personalize storefront SDK (/sdk/personalize.js). Shapes follow CONTRACT.md §2.

export type PushKind = "offer" | "referralPrompt" | "recommendations" | "survey" | "reward";
export type ConnectionState = "connected" | "connecting" | "reconnecting" | "disconnected";

export interface PersonalizeOptions {
  /** Returns the shopper token (from your storefront backend, which calls POST /api/shopper-tokens). */
  tokenProvider: () => string | Promise<string>;
  /** Where the gateway is; "" (default) means the page's own origin. */
  baseUrl?: string;
  /** Report nudge_shown for every push handed to a callback (default true). */
  reportShown?: boolean;
  /** Attempts per track() call, the same event id each time (default 4). */
  maxTrackAttempts?: number;
  /** First delay between attempts, doubled after each (default 250 ms). */
  trackRetryDelayMs?: number;
  /** How many push ids are remembered to drop repeats (default 1000). */
  dedupCapacity?: number;
  /** Pushes of kinds without a callback yet, kept until one is registered (default 50). */
  maxBufferedPushes?: number;
  /** @microsoft/signalr LogLevel number (default Warning). */
  logLevel?: number;
}

export type EventType =
  | "page_view" | "product_view" | "search" | "add_to_cart" | "remove_from_cart" | "checkout_started"
  | "purchase" | "referral_landing" | "share" | "nps_response" | "nudge_shown" | "nudge_clicked"
  | "nudge_dismissed" | "consent";

export interface OrderLine { productId: string; categoryId?: string; quantity: number; price: number }

export interface ShopperEvent {
  /** Generated when absent; 1..64 chars; a repeated id is ignored by the server. */
  id?: string;
  type: EventType;
  at?: string;
  channel?: "web" | "app" | "pos" | "email";
  productId?: string;
  categoryId?: string;
  price?: number;
  quantity?: number;
  query?: string;
  orderId?: string;
  orderTotal?: number;
  lines?: OrderLine[];
  referralCode?: string;
  score?: number;
  nudgeId?: string;
  granted?: boolean;
}

export interface TrackResult { accepted: boolean; duplicate: boolean }
export interface RewardValue { kind: "percent" | "amount" | "freeShipping"; value: number; currency?: string }

export interface PushBase {
  id: string; triggerId: string; kind: PushKind; title: string; message: string; createdAt: string; expiresAt: string;
}
export interface OfferPush extends PushBase { kind: "offer"; discount: RewardValue; code: string }
export interface ReferralPromptPush extends PushBase {
  kind: "referralPrompt"; code: string; shareUrl: string; referrerReward: RewardValue; friendReward: RewardValue;
}
export interface RecommendationsPush extends PushBase { kind: "recommendations"; strategy: string; productIds: string[] }
export interface SurveyPush extends PushBase { kind: "survey"; survey: "nps"; question: string }
export interface RewardPush extends PushBase {
  kind: "reward"; amount: number; currency: string; status: "pending" | "confirmed";
}
export type Push = OfferPush | ReferralPromptPush | RecommendationsPush | SurveyPush | RewardPush;

export interface PushByKind {
  offer: OfferPush; referralPrompt: ReferralPromptPush; recommendations: RecommendationsPush;
  survey: SurveyPush; reward: RewardPush; "*": Push;
}

export interface ShopperView {
  shopperId: string;
  basket: { lines: OrderLine[]; count: number; total: number };
  recentEvents: ShopperEvent[];
  pendingNudges: Push[];
  orders: number;
  lifetimeValue: number;
  referralCode: string | null;
  referredBy: boolean;
  npsScore: number | null;
  consent: boolean;
}

export interface ReferralLink { code: string; shareUrl: string }

export declare const HUB_PATH: "/hubs/shopper";
export declare const PUSH_KINDS: readonly PushKind[];

export declare class PersonalizeClient {
  constructor(options: PersonalizeOptions);
  readonly state: ConnectionState;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Once per push id; returns a function that removes the callback. "*" receives every kind. */
  on<K extends keyof PushByKind>(kind: K, callback: (push: PushByKind[K]) => void): () => void;
  onStateChange(callback: (state: ConnectionState, error?: Error) => void): () => void;
  onError(callback: (error: unknown) => void): () => void;
  track(event: ShopperEvent): Promise<TrackResult>;
  clicked(push: Push | string): Promise<TrackResult>;
  dismissed(push: Push | string): Promise<TrackResult>;
  getState(): Promise<ShopperView>;
  getReferralLink(): Promise<ReferralLink>;
}

/** Creates a client and starts it. */
export declare function connect(options: PersonalizeOptions): Promise<PersonalizeClient>;
export declare function newEventId(): string;
